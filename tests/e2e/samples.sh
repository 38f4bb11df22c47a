#!/bin/sh
# tests/e2e/samples.sh - convert every sample and check the drawing.
#
# Each sample (PNG, 16-bit TIFF, JPEG, PNM, plus a hand-written PBM) is
# converted from a file and from standard input, the SVG is rendered with
# rsvg-convert at the size its viewBox states, and rasterdiff compares the
# rendered ink with the input thresholded the way figtrace did it: the
# intersection over union must reach 0.999 (1 for the tiny PBM, whose
# outline is exact).  Some runs add --threshold or --invert so that the
# options reach the pipeline.
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
  local input=$1 svg=$2 min=$3 what=$4 size png
  shift 4
  checks=$((checks + 1))
  if [ ! -s "$svg" ]; then
    fail "$what: no SVG written"
    return
  fi
  if ! head -c 200 "$svg" | grep -q '^<?xml'; then
    fail "$what: $svg does not start with an XML declaration"
    return
  fi
  size=$(tr '\n' ' ' <"$svg" | sed -n 's/.*viewBox="0 0 \([0-9][0-9]*\) \([0-9][0-9]*\)".*/\1 \2/p')
  if [ -z "$size" ]; then
    fail "$what: no integer viewBox=\"0 0 W H\" in $svg"
    return
  fi
  png="$svg.png"
  if ! rsvg-convert -w ${size% *} -h ${size#* } -o "$png" "$svg" 2>"$TMP/rsvg.err"; then
    fail "$what: rsvg-convert could not render $svg"
    sed 's/^/    /' "$TMP/rsvg.err" >&2
    return
  fi
  if "$RASTERDIFF" --min-iou "$min" --diff "$TMP/diff.ppm" "$@" "$input" "$png" \
      >"$TMP/rd.out" 2>"$TMP/rd.err"; then
    ok "$what: $(cat "$TMP/rd.out")"
  else
    fail "$what: $(cat "$TMP/rd.out" "$TMP/rd.err" | tr '\n' ' ')"
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

# name  options (one word at most, - for none)  minimum IoU
while read -r name opts min; do
  [ "$opts" = "-" ] && opts=""
  case $name in
    tiny.pbm) src="$TMP/tiny.pbm" ;;
    *) src="$SAMPLES/$name" ;;
  esac
  if [ ! -f "$src" ]; then
    checks=$((checks + 1))
    fail "$name: sample missing ($src)"
    continue
  fi
  stem=${name%.*}
  tag="$name${opts:+ $opts}"
  mkdir -p "$TMP/run"
  rm -f "$TMP/run/"*
  cp "$src" "$TMP/run/$name"

  # From a file: the SVG appears beside the input.
  # shellcheck disable=SC2086
  ft $opts "$TMP/run/$name"
  expect_rc 0 "$tag: convert file" &&
    compare "$src" "$TMP/run/$stem.svg" "$min" "$tag: file" $opts

  # From standard input through a pipe, to standard output.
  # shellcheck disable=SC2086
  cat "$src" | "$FIGTRACE" $opts - >"$TMP/run/stdin.svg" 2>"$TMP/ft.err"
  rc=$?
  expect_rc 0 "$tag: convert stdin" &&
    compare "$src" "$TMP/run/stdin.svg" "$min" "$tag: stdin" $opts
done <<'LIST'
diagram.png - 0.999
diagram.png --threshold=0.8 0.999
nuclei.tif - 0.999
nuclei.tif --threshold=30% 0.999
sketch.jpg - 0.999
logo.pnm - 0.999
logo.pnm --invert 0.999
tiny.pbm - 1
LIST

finish
