#!/bin/sh
# tests/e2e/presets.sh - presets, the segmentation options and their errors.
#
# The photographed pencil sample converted with -p sketch must match the
# clean drawing it was made from (samples/pencil-clean.png).  Run from the
# build tree the preset finds the shipped ink U-Net: at least 0.92 traced
# as outlines (0.948 measured) and 0.90 as the preset's default centre lines
# (0.919 measured: one width per stroke over 4..6 px pencil lines); its
# classical chain (--segment threshold) at least 0.90 as outlines (0.930)
# and 0.88 as centre lines (0.901).  The same photo with the default preset
# must not match (a negative control).  Options given on the command line
# override the preset whatever their order.  --colors gives one layer per
# colour.  Bad specs, unknown presets and bad values are usage errors
# (exit 2) naming what is accepted.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "SKIP: rsvg-convert (Debian librsvg2-bin) is not installed"
  exit 77
fi
if [ ! -x "$RASTERDIFF" ]; then
  echo "ERROR: $RASTERDIFF is not built (make check builds it)" >&2
  exit 99
fi

# iou_vs_clean SVG [MIN] : IoU of the rendered SVG against the clean pencil
# drawing, at least MIN (default 0.9) (rasterdiff's output line in
# $TMP/rd.out, exit status in $rc).
iou_vs_clean() {
  rsvg-convert -w 640 -h 480 -o "$1.png" "$1" 2>"$TMP/rsvg.err" || {
    rc=3
    return
  }
  "$RASTERDIFF" --reference --min-iou "${2:-0.9}" "$SAMPLES/pencil-clean.png" "$1.png" \
    >"$TMP/rd.out" 2>"$TMP/rd.err"
  rc=$?
}

# ---- the sketch preset on the pencil photo ----
unset FIGTRACE_MODEL_PATH FIGTRACE_NO_DEFAULT_MODELS # the shipped model is found
# sketch_iou ARGS MIN WHAT : -p sketch ARGS on the pencil photo matches the
# clean drawing to MIN.
sketch_iou() {
  # shellcheck disable=SC2086 # ARGS are words without blanks
  ft -p sketch $1 -o "$TMP/pencil.svg" "$SAMPLES/pencil.jpg"
  expect_rc 0 "-p sketch${1:+ $1} converts pencil.jpg"
  iou_vs_clean "$TMP/pencil.svg" "$2"
  checks=$((checks + 1))
  if [ "$rc" -eq 0 ]; then
    ok "$3 match the clean drawing to $2: $(cat "$TMP/rd.out")"
  else
    fail "$3 vs the clean drawing (IoU >= $2): $(cat "$TMP/rd.out" "$TMP/rd.err" | tr '\n' ' ')"
  fi
}
sketch_iou "--trace outline" 0.92 "-p sketch (U-Net) outlines"
sketch_iou "--segment threshold --trace outline" 0.90 "-p sketch classical outlines"
sketch_iou "--segment threshold" 0.88 "-p sketch classical centre lines"
expect "-p sketch classical draws strokes" "$(grep -c 'id="strokes"' "$TMP/pencil.svg")" = 1
sketch_iou "" 0.90 "-p sketch (U-Net) centre lines"
expect "-p sketch draws strokes" "$(grep -c 'id="strokes"' "$TMP/pencil.svg")" = 1
ft -o "$TMP/plain.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "default preset converts pencil.jpg"
iou_vs_clean "$TMP/plain.svg"
checks=$((checks + 1))
if [ "$rc" -eq 1 ]; then
  ok "negative control: a global threshold does not match ($(cat "$TMP/rd.out"))"
else
  fail "negative control: rasterdiff exit $rc, expected 1: $(cat "$TMP/rd.out")"
fi

# ---- command-line options win over the preset, in any order ----
# (--threshold and --denoise also pick the sketch preset's classical chain,
# so the fully overridden preset is the default whether its model is found
# or not.)
ft -p sketch --denoise '' --threshold otsu --min-area 3 --border-wedges keep --trace outline --relative 0.05 \
  -o "$TMP/a.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "preset first, then overrides"
ft --denoise '' --threshold otsu --min-area 3 --border-wedges keep --trace outline --relative 0.05 -p sketch \
  -o "$TMP/b.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "overrides first, then preset"
expect "overrides win regardless of order" "$(cksum <"$TMP/a.svg")" = "$(cksum <"$TMP/b.svg")"
expect "sketch preset fully overridden equals the default" \
  "$(cksum <"$TMP/a.svg")" = "$(cksum <"$TMP/plain.svg")"
ft -p lineart -o "$TMP/c.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "-p lineart"
expect "-p lineart is the default" "$(cksum <"$TMP/c.svg")" = "$(cksum <"$TMP/plain.svg")"
ft -p sketch --preset=lineart -o "$TMP/d.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "the last preset given counts"
expect "-p sketch --preset=lineart is lineart" "$(cksum <"$TMP/d.svg")" = "$(cksum <"$TMP/plain.svg")"

# ---- colours ----
ft -p color -o "$TMP/logo.svg" "$SAMPLES/logo.pnm"
expect_rc 0 "-p color converts logo.pnm"
expect "-p color: a layer per colour" "$(grep -c 'id="color-[0-9]*"' "$TMP/logo.svg")" -ge 3
ft --colors 3 -o "$TMP/logo3.svg" "$SAMPLES/logo.pnm"
expect_rc 0 "--colors 3"
expect "--colors 3: three colour layers" "$(grep -c 'id="color-[0-9]*"' "$TMP/logo3.svg")" -eq 3
ft --colors 3 -p color -o "$TMP/logo3b.svg" "$SAMPLES/logo.pnm"
expect_rc 0 "--colors 3 before -p color"
expect "--colors 3 wins over the preset's colours" \
  "$(grep -c 'id="color-[0-9]*"' "$TMP/logo3b.svg")" -eq 3

# ---- --list-presets ----
ft --list-presets
expect_rc 0 "--list-presets"
for p in lineart sketch color; do
  checks=$((checks + 1))
  if grep -q "^  $p " "$TMP/ft.out"; then ok "--list-presets shows $p"; else fail "--list-presets lacks $p"; fi
done
expect "--list-presets shows the sketch chain" \
  "$(grep -c -- '--denoise=[a-z,]*flatten:' "$TMP/ft.out")" -ge 1
expect "--list-presets lists the threshold methods" "$(grep -c '^    sauvola ' "$TMP/ft.out")" -eq 1

# ---- usage errors: exit 2 and a message naming what is accepted ----
usage() { # DESCRIPTION EXPECTED-TEXT ARGS...
  u_desc=$1
  u_text=$2
  shift 2
  ft "$@" "$SAMPLES/logo.pnm" -o "$TMP/never.svg"
  expect_rc 2 "usage: $u_desc"
  stderr_has "$u_text" "usage: $u_desc: message"
  expect "usage: $u_desc: nothing written" ! -e "$TMP/never.svg"
}
usage "unknown preset" "known: lineart, sketch, color" -p poster
usage "unknown denoise filter" "known: median, gaussian" --denoise medain:r=2
usage "unknown denoise key" "keys: r, bits" --denoise median:rad=2
usage "denoise value out of range" "out of range" --denoise median:r=900
usage "unknown threshold method" "known: otsu, li, triangle, sauvola, niblack, hysteresis" \
  --threshold kmeans
usage "unknown threshold key" "keys: w, k, r, ink" --threshold sauvola:q=1
usage "even Sauvola window" "w must be odd" --threshold sauvola:w=30
usage "one colour" "2..64" --colors 1
usage "too many colours" "2..64" --colors 65
usage "negative min-area" "min-area" --min-area -3
usage "bad preset among good options" "unknown preset" --colors 4 --preset=foo

finish
