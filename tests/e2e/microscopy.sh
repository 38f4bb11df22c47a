#!/bin/sh
# tests/e2e/microscopy.sh - U-Net segmentation through the program.
#
# The U-Net runs with the hand-set fixture model tests/data/unetseg/ramp3
# (an intensity classifier with a background, an interior and a boundary
# class; see make_fixture.py there), found by name through
# FIGTRACE_MODEL_PATH, on the 16-bit fluorescence sample.  Checked:
#   - one <path id="nucleus-N"> per object inside <g id="nuclei">;
#   - --labels writes a 16-bit PNG or TIFF whose objects are the SVG's.
#     Exact outlines (--no-fit): the SVG is rendered with rsvg-convert after
#     giving each nucleus path a fill that encodes N, and labelcmp requires
#     the same object numbers on both sides and an IoU of at least 0.95 per
#     object.  Fitted outlines (the default): each nucleus path is rendered
#     alone (neighbours' anti-aliased edges would blend) and must cover its
#     label with an IoU of at least 0.8, 0.9 on average (smoothing moves
#     the outline of a 15-pixel nucleus by a fraction of a pixel);
#   - missing, damaged and truncated models fail the input (exit 1) with a
#     message naming the file or where the name was looked for, and leave
#     no output behind;
#   - mistakes in --segment and --labels are usage errors (exit 2);
#   - -p microscopy asks for the model called nuclei.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

LABELCMP="$FT_BUILDDIR/tests/tools/labelcmp"
NUCLEI="$SAMPLES/nuclei.tif"
FIXTURES="$FT_SRCDIR/tests/data/unetseg"
FIGTRACE_MODEL_PATH="$TMP/none:$FIXTURES"
export FIGTRACE_MODEL_PATH

# ---- a conversion with the label image ----
ft -p microscopy --segment unet:ramp3 --labels "$TMP/lab.png" -o "$TMP/nuc.svg" "$NUCLEI"
expect_rc 0 "microscopy with the fixture model"
expect "SVG written" -s "$TMP/nuc.svg"
expect "label PNG written" -s "$TMP/lab.png"
expect "nuclei layer" "$(grep -c '<g id="nuclei"' "$TMP/nuc.svg")" -eq 1
npaths=$(grep -c '<path id="nucleus-[0-9]*"' "$TMP/nuc.svg")
expect "at least 20 nuclei ($npaths)" "$npaths" -ge 20
ft --segment unet:ramp3 --labels "$TMP/lab.tif" -o "$TMP/nuc2.svg" "$NUCLEI"
expect_rc 0 "label TIFF"
expect "same SVG as with the preset" -z "$(cmp "$TMP/nuc.svg" "$TMP/nuc2.svg" 2>&1)"

# ---- the label image and the SVG agree ----
if command -v rsvg-convert >/dev/null 2>&1 && [ -x "$LABELCMP" ]; then
  # Exact outlines: every object at once, colour-coded.
  ft --segment unet:ramp3 --no-fit -o "$TMP/exact.svg" "$NUCLEI"
  expect_rc 0 "exact outlines"
  awk '{
    if (match($0, /<path id="nucleus-[0-9]+"/)) {
      n = substr($0, RSTART + 18, RLENGTH - 19) + 0
      fill = sprintf(" fill=\"#%02x%02x80\"", n % 256, int(n / 256))
      $0 = substr($0, 1, RSTART + RLENGTH - 1) fill substr($0, RSTART + RLENGTH)
    }
    print
  }' "$TMP/exact.svg" >"$TMP/coded.svg"
  expect "every nucleus path recoloured" \
    "$(grep -c 'fill="#[0-9a-f]*80"' "$TMP/coded.svg")" -eq "$npaths"
  if rsvg-convert -w 256 -h 256 -o "$TMP/coded.png" "$TMP/coded.svg" 2>"$TMP/rsvg.err"; then
    for f in lab.png lab.tif; do
      checks=$((checks + 1))
      if "$LABELCMP" --min-iou 0.95 "$TMP/$f" "$TMP/coded.png" >"$TMP/lc.out" 2>"$TMP/lc.err"; then
        ok "$f matches the exact SVG: $(cat "$TMP/lc.out")"
      else
        fail "$f does not match the exact SVG: $(cat "$TMP/lc.out")"
        sed 's/^/    /' "$TMP/lc.err" >&2
      fi
    done
    objects=$(sed -n 's/^objects \([0-9]*\),.*/\1/p' "$TMP/lc.out")
    expect "one object per nucleus path ($objects, $npaths)" "$objects" -eq "$npaths"
  else
    fail "rsvg-convert could not render the recoloured SVG"
    sed 's/^/    /' "$TMP/rsvg.err" >&2
  fi
  # Fitted outlines: each nucleus alone.
  first=$(grep -n '<path id="nucleus-' "$TMP/nuc.svg" | head -n 1 | cut -d: -f1)
  : >"$TMP/ious"
  for n in $(grep -o '<path id="nucleus-[0-9]*"' "$TMP/nuc.svg" | grep -o '[0-9][0-9]*'); do
    {
      head -n $((first - 1)) "$TMP/nuc.svg"
      grep "<path id=\"nucleus-$n\"" "$TMP/nuc.svg"
      echo '</g></svg>'
    } >"$TMP/one.svg"
    rsvg-convert -w 256 -h 256 -o "$TMP/one.png" "$TMP/one.svg" 2>/dev/null &&
      "$LABELCMP" --min-iou 0 --object "$n" "$TMP/lab.png" "$TMP/one.png" >>"$TMP/ious"
  done
  expect "fitted: every nucleus rendered and scored" "$(wc -l <"$TMP/ious")" -eq "$npaths"
  worst=$(sort -k4 -n "$TMP/ious" | head -n 1 | cut -d' ' -f4)
  mean=$(awk '{ s += $4 } END { printf "%.4f", s / NR }' "$TMP/ious")
  checks=$((checks + 1))
  if awk -v w="$worst" -v m="$mean" 'BEGIN { exit !(w >= 0.8 && m >= 0.9) }'; then
    ok "fitted outlines cover their labels: min IoU $worst, mean $mean"
  else
    fail "fitted outlines: min IoU $worst (>= 0.8), mean $mean (>= 0.9)"
  fi
else
  echo "skipped: rendering comparison (rsvg-convert or labelcmp missing)"
fi

# ---- model errors fail the input, not the run ----
printf 'not a model' >"$TMP/bad.safetensors"
ft --segment "unet:$TMP/bad.safetensors" --labels "$TMP/badlab.png" -o "$TMP/bad.svg" "$NUCLEI"
expect_rc 1 "damaged model"
stderr_has "$TMP/bad.safetensors" "damaged model: message names the file"
stderr_has "figtrace: $NUCLEI: model:" "damaged model: message names the input"
expect "damaged model: no SVG left" ! -e "$TMP/bad.svg"
expect "damaged model: no labels left" ! -e "$TMP/badlab.png"
head -c 300 "$FIXTURES/ramp3.safetensors" >"$TMP/short.safetensors"
ft --segment "unet:$TMP/short.safetensors" -o "$TMP/short.svg" "$NUCLEI"
expect_rc 1 "truncated model"
stderr_has "short.safetensors" "truncated model: message names the file"
ft --segment unet:nosuchmodel -o "$TMP/none.svg" "$NUCLEI"
expect_rc 1 "missing model"
stderr_has "'nosuchmodel' not found" "missing model: says so"
stderr_has "$TMP/none/nosuchmodel.safetensors" "missing model: lists FIGTRACE_MODEL_PATH"
stderr_has "FIGTRACE_MODEL_PATH" "missing model: names the variable"
# One bad input among good ones: the others still convert.
mkdir "$TMP/multi"
cp "$NUCLEI" "$TMP/multi/a.tif"
printf 'P5\n2 2\n255\n' >"$TMP/multi/b.pgm"
ft --segment unet:ramp3 -o "$TMP/multi/out/" "$TMP/multi/a.tif" "$TMP/multi/b.pgm"
expect_rc 1 "a truncated input among good ones"
expect "the good input converted" -s "$TMP/multi/out/a.svg"

# ---- the preset wants the model called nuclei ----
if [ -f "$FT_SRCDIR/models/nuclei.safetensors" ]; then
  FIGTRACE_MODEL_PATH= ft -p microscopy -o "$TMP/p.svg" "$NUCLEI"
  expect_rc 0 "-p microscopy with the shipped model"
else
  FIGTRACE_MODEL_PATH= ft -p microscopy -o "$TMP/p.svg" "$NUCLEI"
  expect_rc 1 "-p microscopy without a nuclei model"
  stderr_has "'nuclei' not found" "-p microscopy: looks for nuclei"
fi
ft --list-presets
expect_rc 0 "--list-presets"
checks=$((checks + 1))
if grep -q 'microscopy' "$TMP/ft.out" && grep -q 'unet:nuclei' "$TMP/ft.out"; then
  ok "--list-presets shows microscopy with unet:nuclei"
else
  fail "--list-presets lacks microscopy"
fi

# ---- usage errors ----
ft --segment unet:ramp3,bogus=1 "$NUCLEI"
expect_rc 2 "unknown unet key"
stderr_has "unknown key 'bogus'" "unknown unet key: named"
ft --segment watershed "$NUCLEI"
expect_rc 2 "unknown segmenter"
ft --segment unet:ramp3,diameter=-3 "$NUCLEI"
expect_rc 2 "negative diameter"
ft --labels "$TMP/l.jpg" "$NUCLEI"
expect_rc 2 "--labels with a JPEG name"
ft --labels "$TMP/l.png" "$NUCLEI" "$NUCLEI"
expect_rc 2 "--labels with two inputs"

finish
