#!/bin/sh
# tests/e2e/sketch.sh - the shipped ink U-Net (models/sketch.safetensors)
# beside the sketch preset's classical chain.
#
#   - --segment unet:sketch on the photographed pencil sample must match the
#     clean drawing it was made from (samples/pencil-clean.png) with an IoU
#     of at least MIN_IOU (measured 0.926 when the model was shipped, minus
#     a margin for libjpeg and rsvg differences);
#   - -p sketch is its classical chain: the same SVG as the settings
#     --list-presets prints for it; with --segment unet:sketch --denoise=
#     the model replaces the classical segmentation;
#   - with FIGTRACE_MODEL_PATH naming tests/data/sketch, the model run uses
#     the hand-set fixture model in the shipped one's place, twice the same;
#   - a model asked for by name or path that is not there fails the input
#     (exit 1) saying where it was looked for, and writes nothing.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

MIN_IOU=0.90

if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "SKIP: rsvg-convert (Debian librsvg2-bin) is not installed"
  exit 77
fi
if [ ! -x "$RASTERDIFF" ]; then
  echo "ERROR: $RASTERDIFF is not built (make check builds it)" >&2
  exit 99
fi
if [ ! -f "$FT_SRCDIR/models/sketch.safetensors" ]; then
  echo "ERROR: models/sketch.safetensors is missing" >&2
  exit 99
fi
unset FIGTRACE_MODEL_PATH

# iou_vs_clean SVG : rasterdiff's line for the rendered SVG against the clean
# pencil drawing in $TMP/rd.out, its exit status (MIN_IOU met) in $rc.
iou_vs_clean() {
  rsvg-convert -w 640 -h 480 -o "$1.png" "$1" 2>"$TMP/rsvg.err" || {
    rc=3
    return
  }
  "$RASTERDIFF" --reference --min-iou "$MIN_IOU" "$SAMPLES/pencil-clean.png" "$1.png" \
    >"$TMP/rd.out" 2>"$TMP/rd.err"
  rc=$?
}

# ---- the shipped model on the pencil photo ----
ft --segment unet:sketch -o "$TMP/unet.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "--segment unet:sketch converts pencil.jpg"
iou_vs_clean "$TMP/unet.svg"
checks=$((checks + 1))
if [ "$rc" -eq 0 ]; then
  ok "the sketch model matches the clean drawing: $(cat "$TMP/rd.out")"
else
  fail "the sketch model vs the clean drawing (IoU >= $MIN_IOU):" \
    "$(cat "$TMP/rd.out" "$TMP/rd.err" | tr '\n' ' ')"
fi

# ---- the preset, and the preset with the model ----
ft -p sketch -o "$TMP/classical.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "-p sketch"
"$FIGTRACE" --list-presets >"$TMP/list.txt"
settings=$(sed -n '/^  sketch /{n;p;}' "$TMP/list.txt")
expect "--list-presets shows the sketch chain" -n "$settings"
# shellcheck disable=SC2086 # the settings are words without blanks
ft $settings -o "$TMP/listed.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "the listed settings"
expect "-p sketch is the listed chain" \
  "$(cksum <"$TMP/classical.svg")" = "$(cksum <"$TMP/listed.svg")"
ft -p sketch --segment unet:sketch --denoise= -o "$TMP/preset.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "-p sketch --segment unet:sketch --denoise="
expect "the model and the classical chain differ" \
  "$(cksum <"$TMP/classical.svg")" != "$(cksum <"$TMP/preset.svg")"
iou_vs_clean "$TMP/preset.svg"
checks=$((checks + 1))
if [ "$rc" -le 1 ]; then
  ok "the preset with the model scored: $(cat "$TMP/rd.out")"
else
  fail "the preset with the model: rasterdiff exit $rc"
fi

# ---- a fixture model in the shipped one's place ----
FIGTRACE_MODEL_PATH="$FT_SRCDIR/tests/data/sketch" "$FIGTRACE" -p sketch --segment unet:sketch \
  --denoise= -o "$TMP/fx1.svg" \
  "$SAMPLES/pencil.jpg" 2>"$TMP/ft.err"
rc=$?
expect_rc 0 "the preset with the fixture model"
FIGTRACE_MODEL_PATH="$FT_SRCDIR/tests/data/sketch" "$FIGTRACE" -p sketch --segment unet:sketch \
  --denoise= -o "$TMP/fx2.svg" \
  "$SAMPLES/pencil.jpg" 2>"$TMP/ft.err"
rc=$?
expect_rc 0 "again"
expect "the fixture model's run repeats exactly" "$(cksum <"$TMP/fx1.svg")" = "$(cksum <"$TMP/fx2.svg")"
expect "the fixture model was the one used" "$(cksum <"$TMP/fx1.svg")" != "$(cksum <"$TMP/preset.svg")"

# ---- a model asked for that is not there ----
mkdir "$TMP/models"
FIGTRACE_MODEL_PATH="$TMP/models" "$FIGTRACE" --segment unet:sketch-nosuch -o "$TMP/no.svg" \
  "$SAMPLES/pencil.jpg" 2>"$TMP/ft.err"
rc=$?
expect_rc 1 "a missing model by name fails the input"
stderr_has "'sketch-nosuch' not found (looked in: $TMP/models/sketch-nosuch.safetensors" \
  "the message says where the model was looked for"
expect "no output for the missing model" ! -e "$TMP/no.svg"
ft --segment "unet:$TMP/models/sketch.safetensors" -o "$TMP/no2.svg" "$SAMPLES/pencil.jpg"
expect_rc 1 "a missing model file fails the input"
stderr_has "$TMP/models/sketch.safetensors" "the message names the file"
expect "no output for the missing file" ! -e "$TMP/no2.svg"

finish
