#!/bin/sh
# tests/e2e/samples.sh - convert every sample and check the drawing.
#
# Each sample (PNG, 16-bit TIFF, JPEG, PNM, plus a hand-written PBM and a
# blank PGM) is converted from a file and from standard input, the SVG is
# rendered with rsvg-convert at the size its viewBox states, and rasterdiff
# compares the rendered ink with the input thresholded the way figtrace did
# it.  With --no-fit (exact pixel outlines) the intersection over union must
# reach 0.999 (1 for the tiny PBM, whose outline is exact).  With the
# default curve fitting every sample must reach 0.99 (today diagram 0.996,
# nuclei 0.992, sketch 0.993, logo 0.994, pencil 0.995 and its clean
# drawing 0.993, both at the default lineart settings; tools/bench/README.md,
# Icons):
# the thin strokes and the small nuclei hold their pixels because the
# tolerance scales with each shape's size (--thin, --relative).
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
pencil.jpg - --no-fit 0.999
pencil-clean.png - --no-fit 0.999
tiny.pbm - --no-fit 1
blank.pgm - --no-fit 1
diagram.png - - 0.99
nuclei.tif - - 0.99
sketch.jpg - - 0.99
logo.pnm - - 0.99
pencil.jpg - - 0.99
pencil-clean.png - - 0.99
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

# --thin and --relative reach the fit.  Without the width-scaled
# tolerance the sketch's pencil strokes (one to three pixels) lose pixels
# to the full tolerance and to sub-pixel offsets that mix both edges of a
# stroke; without the size-scaled one the nuclei (5 to 12 px across) are
# held no tighter than a large shape, and the renderings match clearly
# worse.
iou() { # iou SAMPLE W H SVG : IoU of the SVG's drawing with the sample, or 0
  sed '/<g id="annotations"/,/<\/g>/d' "$4" >"$TMP/neg/drawing.svg"
  rsvg-convert -w "$2" -h "$3" -o "$TMP/neg/s.png" "$TMP/neg/drawing.svg" 2>"$TMP/rsvg.err"
  "$RASTERDIFF" --min-iou 0 "$SAMPLES/$1" "$TMP/neg/s.png" 2>/dev/null |
    sed -n 's/.*IoU \([0-9.]*\).*/\1/p' | sed 1q
}
# scaled SAMPLE W H OPTION MARGIN : the default beats OPTION by MARGIN
scaled() {
  ft -o "$TMP/neg/def.svg" "$SAMPLES/$1"
  expect_rc 0 "$1 at the default settings"
  ft "$4" -o "$TMP/neg/off.svg" "$SAMPLES/$1"
  expect_rc 0 "$1 with $4"
  i_def=$(iou "$1" "$2" "$3" "$TMP/neg/def.svg")
  i_off=$(iou "$1" "$2" "$3" "$TMP/neg/off.svg")
  expect "$1: $4 follows the pixels worse (IoU ${i_off:-?} against ${i_def:-?})" \
    "$(awk -v a="${i_def:-0}" -v b="${i_off:-1}" -v m="$5" \
      'BEGIN { print (a >= 0.99 && b < a - m) ? "y" : "n" }')" = y
}
scaled sketch.jpg 400 300 --thin=0 0.03
scaled nuclei.tif 256 256 --relative=0 0.008

finish
