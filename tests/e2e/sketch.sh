#!/bin/sh
# tests/e2e/sketch.sh - the sketch preset's two chains: the shipped ink U-Net
# (models/sketch.safetensors) when the model is found, the classical chain
# when it is not.
#
#   - --segment unet:sketch on the photographed pencil sample must match the
#     clean drawing it was made from (samples/pencil-clean.png) with an IoU
#     of at least MIN_IOU (measured 0.948, minus a margin for libjpeg and
#     rsvg differences);
#   - -p sketch run from the build tree finds the shipped model and is the
#     model chain --list-presets prints (its settings, then the model
#     line), and says so at -v; -p sketch --segment=threshold is the
#     classical chain (the first line);
#   - with FIGTRACE_NO_DEFAULT_MODELS set and FIGTRACE_MODEL_PATH empty no
#     model is found: -p sketch is the classical chain and says so at -v;
#   - options of the classical chain (--threshold, --denoise) select it,
#     --segment=unet:sketch the model chain, whether the model is found or
#     not; --trace keeps the preset's choice;
#   - with FIGTRACE_MODEL_PATH naming tests/data/sketch, -p sketch uses the
#     hand-set fixture model in the shipped one's place, twice the same;
#   - a damaged file under the model's name fails the input (exit 1) with
#     the loader's message naming the file, and writes nothing;
#   - a model asked for by name or path that is not there fails the input
#     (exit 1) saying where it was looked for, and writes nothing.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

MIN_IOU=0.92

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
unset FIGTRACE_MODEL_PATH FIGTRACE_NO_DEFAULT_MODELS

# ftenv VAR=VALUE... PROGRAM ARGS... : ft with the environment changed for
# this run only.
ftenv() {
  env "$@" >"$TMP/ft.out" 2>"$TMP/ft.err"
  rc=$?
}

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

# ---- the preset: the model chain when the model is found ----
"$FIGTRACE" --list-presets >"$TMP/list.txt"
classical=$(sed -n '/^  sketch /{n;p;}' "$TMP/list.txt")
model=$(sed -n "/^  sketch /{n;n;/when the model 'sketch' is found/{n;p;};}" "$TMP/list.txt" |
  sed "s/=''/=/g")
expect "--list-presets shows the sketch chain" -n "$classical"
expect "--list-presets shows the sketch model chain" -n "$model"
expect "the model chain is the U-Net on the unfiltered photo" \
  "$(echo $model)" = "--segment=unet:sketch --denoise="
ft -v -p sketch -o "$TMP/preset.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "-p sketch"
stderr_has "preset sketch: model 'sketch' found ($FT_SRCDIR/models/sketch.safetensors)" \
  "-v says the model was found"
# shellcheck disable=SC2086 # the settings are words without blanks
ft $classical $model -o "$TMP/listed-model.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "the listed settings and model line"
expect "-p sketch is the listed model chain" \
  "$(cksum <"$TMP/preset.svg")" = "$(cksum <"$TMP/listed-model.svg")"
ft -p sketch --segment threshold -o "$TMP/classical.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "-p sketch --segment threshold"
# shellcheck disable=SC2086
ft $classical -o "$TMP/listed.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "the listed settings"
expect "-p sketch --segment threshold is the listed classical chain" \
  "$(cksum <"$TMP/classical.svg")" = "$(cksum <"$TMP/listed.svg")"
expect "the model and the classical chain differ" \
  "$(cksum <"$TMP/classical.svg")" != "$(cksum <"$TMP/preset.svg")"
iou_vs_clean "$TMP/preset.svg"
checks=$((checks + 1))
if [ "$rc" -le 1 ]; then
  ok "the preset with the model (centre lines) scored: $(cat "$TMP/rd.out")"
else
  fail "the preset with the model: rasterdiff exit $rc"
fi

# ---- no model to be found: the classical chain ----
ftenv FIGTRACE_NO_DEFAULT_MODELS=1 FIGTRACE_MODEL_PATH= "$FIGTRACE" -v -p sketch -o "$TMP/fallback.svg" \
  "$SAMPLES/pencil.jpg"
expect_rc 0 "-p sketch without a model"
stderr_has "preset sketch: model 'sketch' not found, the classical chain" \
  "-v says the model was not found"
expect "-p sketch without a model is the classical chain" \
  "$(cksum <"$TMP/fallback.svg")" = "$(cksum <"$TMP/classical.svg")"

# ---- options pick the chain they belong to, found or not ----
for env in "" "FIGTRACE_NO_DEFAULT_MODELS=1 FIGTRACE_MODEL_PATH="; do
  where=${env:+, no model}
  # shellcheck disable=SC2086 # $env is assignments without blanks
  ftenv $env "$FIGTRACE" -v -p sketch --threshold otsu -o "$TMP/t1.svg" "$SAMPLES/pencil.jpg"
  expect_rc 0 "-p sketch --threshold otsu$where"
  stderr_has "the classical chain, as --threshold was given" "-v: --threshold picks the classical chain$where"
  # shellcheck disable=SC2086
  ft $classical --threshold otsu -o "$TMP/t2.svg" "$SAMPLES/pencil.jpg"
  expect "-p sketch --threshold otsu is the classical chain with Otsu$where" \
    "$(cksum <"$TMP/t1.svg")" = "$(cksum <"$TMP/t2.svg")"
  # shellcheck disable=SC2086
  ftenv $env "$FIGTRACE" -p sketch --denoise median:r=1 -o "$TMP/d1.svg" "$SAMPLES/pencil.jpg"
  expect_rc 0 "-p sketch --denoise median:r=1$where"
  # shellcheck disable=SC2086
  ft $classical --denoise median:r=1 -o "$TMP/d2.svg" "$SAMPLES/pencil.jpg"
  expect "-p sketch --denoise median:r=1 is the classical chain with that filter$where" \
    "$(cksum <"$TMP/d1.svg")" = "$(cksum <"$TMP/d2.svg")"
done
ft -p sketch --segment unet:sketch -o "$TMP/u.svg" "$SAMPLES/pencil.jpg"
expect_rc 0 "-p sketch --segment unet:sketch"
expect "-p sketch --segment unet:sketch is -p sketch" \
  "$(cksum <"$TMP/u.svg")" = "$(cksum <"$TMP/preset.svg")"
ftenv FIGTRACE_NO_DEFAULT_MODELS=1 FIGTRACE_MODEL_PATH="$TMP/nowhere" "$FIGTRACE" -p sketch \
  --segment unet:sketch -o "$TMP/u2.svg" "$SAMPLES/pencil.jpg"
expect_rc 1 "-p sketch --segment unet:sketch without a model fails the input"
stderr_has "'sketch' not found (looked in: $TMP/nowhere/sketch.safetensors" \
  "it says where the model was looked for"
expect "no output without the model asked for" ! -e "$TMP/u2.svg"
ft -p sketch --trace outline -o "$TMP/o.svg" "$SAMPLES/pencil.jpg"
# shellcheck disable=SC2086
ft $classical $model --trace outline -o "$TMP/o2.svg" "$SAMPLES/pencil.jpg"
expect "-p sketch --trace outline keeps the model chain" \
  "$(cksum <"$TMP/o.svg")" = "$(cksum <"$TMP/o2.svg")"

# ---- a fixture model in the shipped one's place ----
ftenv FIGTRACE_MODEL_PATH="$FT_SRCDIR/tests/data/sketch" "$FIGTRACE" -p sketch -o "$TMP/fx1.svg" \
  "$SAMPLES/pencil.jpg"
expect_rc 0 "the preset with the fixture model"
ftenv FIGTRACE_MODEL_PATH="$FT_SRCDIR/tests/data/sketch" "$FIGTRACE" -p sketch -o "$TMP/fx2.svg" \
  "$SAMPLES/pencil.jpg"
expect_rc 0 "again"
expect "the fixture model's run repeats exactly" "$(cksum <"$TMP/fx1.svg")" = "$(cksum <"$TMP/fx2.svg")"
expect "the fixture model was the one used" "$(cksum <"$TMP/fx1.svg")" != "$(cksum <"$TMP/preset.svg")"
expect "the fixture model is not the classical chain" \
  "$(cksum <"$TMP/fx1.svg")" != "$(cksum <"$TMP/classical.svg")"

# ---- a damaged model under the model's name: the input fails ----
mkdir "$TMP/damaged"
head -c 300 "$FT_SRCDIR/models/sketch.safetensors" >"$TMP/damaged/sketch.safetensors"
ftenv FIGTRACE_MODEL_PATH="$TMP/damaged" "$FIGTRACE" -p sketch -o "$TMP/dm.svg" "$SAMPLES/pencil.jpg"
expect_rc 1 "-p sketch with a damaged model fails the input"
stderr_has "figtrace: $SAMPLES/pencil.jpg: model: $TMP/damaged/sketch.safetensors: " \
  "the message names the input and the model file"
expect "no output for the damaged model" ! -e "$TMP/dm.svg"

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
