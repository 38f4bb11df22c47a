#!/bin/sh
# tests/e2e/samples.sh - convert every sample and check the drawing.
#
# Each sample (PNG, 16-bit TIFF, JPEG, PNM, plus a hand-written PBM and a
# blank PGM) is converted from a file and from standard input, the SVG is
# rendered with rsvg-convert at the size its viewBox states, and rasterdiff
# compares the rendered ink with the input thresholded the way figtrace did
# it.  With --no-fit (exact pixel outlines) the intersection over union must
# reach 0.999 (1 for the tiny PBM, whose outline is exact).  With the
# default curve fitting the floors are what the fit stage reaches today on
# each sample, a little below (diagram 0.983, nuclei 0.981, sketch 0.977,
# logo 0.994, logo --polygon 0.994 in tools/bench/README.md, Icons); they
# guard against regressions.  0.99 is not reached on the thin strokes:
# the pixels left are anti-aliased about half way (a renderer's coin flip
# at the threshold) or pencil grain, which a smooth curve does not follow.
# Some runs add --threshold or --invert so that the options reach the
# pipeline.  A negative control checks that the
# comparison does fail when the drawing does not match.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "SKIP: rsvg-convert (Debian librsvg2-bin) is not installed"
  exit 77
fi
if [ ! -x "$RASTERDIFF" ]; then
  echo "ERROR: $RASTERDIFF is not built (make check builds it)" >&2
  exit 99
fi

# compare INPUT SVG MIN-IOU WHAT [OPTIONS...] : render SVG and score it.
compare() {
  c_input=$1
  c_svg=$2
  c_min=$3
  c_what=$4
  shift 4
  checks=$((checks + 1))
  if [ ! -s "$c_svg" ]; then
    fail "$c_what: no SVG written"
    return
  fi
  if ! head -c 200 "$c_svg" | grep -q '^<?xml'; then
    fail "$c_what: $c_svg does not start with an XML declaration"
    return
  fi
  c_size=$(tr '\n' ' ' <"$c_svg" |
    sed -n 's/.*viewBox="0 0 \([0-9][0-9]*\) \([0-9][0-9]*\)".*/\1 \2/p')
  if [ -z "$c_size" ]; then
    fail "$c_what: no integer viewBox=\"0 0 W H\" in $c_svg"
    return
  fi
  c_png="$c_svg.png"
  # The score is about the traced drawing: leave out the annotations layer
  # (scale bar and its label), which has no counterpart in the input.
  sed '/<g id="annotations"/,/<\/g>/d' "$c_svg" >"$c_svg.drawing"
  if ! rsvg-convert -w "${c_size% *}" -h "${c_size#* }" -o "$c_png" "$c_svg.drawing" \
      2>"$TMP/rsvg.err"; then
    fail "$c_what: rsvg-convert could not render $c_svg"
    sed 's/^/    /' "$TMP/rsvg.err" >&2
    return
  fi
  if "$RASTERDIFF" --min-iou "$c_min" --diff "$TMP/diff.ppm" "$@" "$c_input" "$c_png" \
      >"$TMP/rd.out" 2>"$TMP/rd.err"; then
    ok "$c_what: $(cat "$TMP/rd.out")"
  else
    fail "$c_what: $(cat "$TMP/rd.out" "$TMP/rd.err" | tr '\n' ' ')"
  fi
}

# A 12 x 8 bitmap (P1, ASCII): a frame with a hole, a diagonal pair of
# pixels touching at a corner, and an island in the hole.
cat >"$TMP/tiny.pbm" <<'PBM'
P1
# figtrace end-to-end fixture
12 8
1 1 1 1 1 1 0 0 0 0 0 0
1 0 0 0 0 1 0 0 0 0 0 0
1 0 1 1 0 1 0 1 0 0 0 0
1 0 1 1 0 1 0 0 1 0 0 0
1 0 0 0 0 1 0 0 0 0 0 0
1 1 1 1 1 1 0 0 0 0 1 1
0 0 0 0 0 0 0 0 0 0 1 1
0 0 0 0 0 0 0 0 0 0 0 0
PBM

# A blank page (P2, ASCII): no ink, an empty but valid drawing.
printf 'P2\n5 4\n255\n' >"$TMP/blank.pgm"
for _ in 1 2 3 4; do printf '250 250 250 250 250\n'; done >>"$TMP/blank.pgm"

# name  options (one word at most, - for none)  fit option (- for the
# default curve fitting)  minimum IoU
while read -r name opts fitopt min; do
  [ "$opts" = "-" ] && opts=""
  [ "$fitopt" = "-" ] && fitopt=""
  case $name in
    tiny.pbm | blank.pgm) src="$TMP/$name" ;;
    *) src="$SAMPLES/$name" ;;
  esac
  if [ ! -f "$src" ]; then
    checks=$((checks + 1))
    fail "$name: sample missing ($src)"
    continue
  fi
  stem=${name%.*}
  tag="$name${opts:+ $opts}${fitopt:+ $fitopt}"
  mkdir -p "$TMP/run"
  rm -f "$TMP/run/"*
  cp "$src" "$TMP/run/$name"

  # From a file: the SVG appears beside the input.  $opts is unquoted on
  # purpose: empty or one word.
  # shellcheck disable=SC2086
  ft $opts $fitopt "$TMP/run/$name"
  # shellcheck disable=SC2086
  expect_rc 0 "$tag: convert file" &&
    compare "$src" "$TMP/run/$stem.svg" "$min" "$tag: file" $opts

  # From standard input through a pipe (the point of the test), to
  # standard output.
  # shellcheck disable=SC2002,SC2086
  cat "$src" | "$FIGTRACE" $opts $fitopt - >"$TMP/run/stdin.svg" 2>"$TMP/ft.err"
  rc=$?
  # shellcheck disable=SC2086
  expect_rc 0 "$tag: convert stdin" &&
    compare "$src" "$TMP/run/stdin.svg" "$min" "$tag: stdin" $opts
done <<'LIST'
diagram.png - --no-fit 0.999
diagram.png --threshold=0.8 --no-fit 0.999
nuclei.tif - --no-fit 0.999
nuclei.tif --threshold=30% --no-fit 0.999
sketch.jpg - --no-fit 0.999
logo.pnm - --no-fit 0.999
logo.pnm --invert --no-fit 0.999
tiny.pbm - --no-fit 1
blank.pgm - --no-fit 1
diagram.png - - 0.978
nuclei.tif - - 0.975
sketch.jpg - - 0.97
logo.pnm - - 0.99
logo.pnm - --polygon 0.99
tiny.pbm - --tolerance=0.3 0.95
logo.pnm - --alphamax=0 0.99
LIST

# The comparison itself must be able to fail: the drawing traced at
# threshold 0.8 does not match the input thresholded with Otsu's method.
mkdir -p "$TMP/neg"
ft --threshold 0.8 -o "$TMP/neg/d.svg" "$SAMPLES/diagram.png"
expect_rc 0 "negative control: convert at threshold 0.8"
rsvg-convert -w 480 -h 320 -o "$TMP/neg/d.png" "$TMP/neg/d.svg" 2>"$TMP/rsvg.err"
"$RASTERDIFF" "$SAMPLES/diagram.png" "$TMP/neg/d.png" >"$TMP/rd.out" 2>"$TMP/rd.err"
rc=$?
checks=$((checks + 1))
if [ "$rc" -eq 1 ]; then
  ok "negative control: rasterdiff rejects it ($(cat "$TMP/rd.out"))"
else
  fail "negative control: rasterdiff exit $rc, expected 1: $(cat "$TMP/rd.out" "$TMP/rd.err")"
fi

# --thin reaches the fit: without the width-scaled tolerance the pencil
# strokes of the sketch (one to three pixels) lose pixels to the full
# tolerance, and the rendering matches the input clearly worse.
iou() { # iou SVG : IoU of its rendering with the sketch, or 0
  rsvg-convert -w 400 -h 300 -o "$TMP/neg/s.png" "$1" 2>"$TMP/rsvg.err"
  "$RASTERDIFF" "$SAMPLES/sketch.jpg" "$TMP/neg/s.png" 2>/dev/null |
    sed -n 's/.*IoU \([0-9.]*\).*/\1/p' | sed 1q
}
ft -o "$TMP/neg/thin-default.svg" "$SAMPLES/sketch.jpg"
expect_rc 0 "sketch at the default --thin"
ft --thin=0 -o "$TMP/neg/thin-0.svg" "$SAMPLES/sketch.jpg"
expect_rc 0 "sketch with --thin=0"
i_def=$(iou "$TMP/neg/thin-default.svg")
i_off=$(iou "$TMP/neg/thin-0.svg")
expect "--thin=0 follows thin strokes worse (IoU ${i_off:-?} against ${i_def:-?})" \
  "$(awk -v a="${i_def:-0}" -v b="${i_off:-1}" 'BEGIN { print (a >= 0.97 && b < a - 0.05) ? "y" : "n" }')" = y

finish
