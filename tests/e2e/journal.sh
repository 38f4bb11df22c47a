#!/bin/sh
# tests/e2e/journal.sh - journal presets, physical size, scale bar, Cairo
# outputs and the check subcommand, end to end.
#
# For each journal the micrograph sample (samples/nuclei.tif, 256 x 256 px
# at 0.65 um/px) is converted; the SVG must render with rsvg-convert, carry
# the journal's column width in mm with the aspect kept, pass
# `figtrace check` for that journal, and hold a 20 um scale bar (the round
# length below a fifth of 166.4 um).  PDF pages must measure the width in
# points (pdfinfo), PNG the width at the dpi, EPS a bounding box inside the
# page.  `figtrace check` must catch each rule on small crafted SVGs.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

cd "$TMP" || exit 99
NUC="$SAMPLES/nuclei.tif"

# Under --enable-sanitizers, fontconfig's process-wide caches (reached
# through Cairo's text) are suppressed by tests/lsan.supp, which make check
# puts in LSAN_OPTIONS.

# attr FILE ELEMENT-ID NAME : value of attribute NAME on the element with
# that id (figtrace writes one element per line).
attr() {
  grep "id=\"$2\"" "$1" | head -n 1 | sed -n "s/.* $3=\"\([^\"]*\)\".*/\1/p"
}
root_attr() {
  grep '<svg ' "$1" | head -n 1 | sed -n "s/.* $2=\"\([^\"]*\)\".*/\1/p"
}
# near A B TOL : |A - B| <= TOL
near() {
  awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
}

# ---- each journal: width, aspect, rendering, lint, scale bar ----
for row in "nature single 89" "nature double 183" "cell 1.5 114" "science single 55" \
    "plos double 190.5" "elife single 85" "none 120 120"; do
  set -- $row
  j=$1 w=$2 mm=$3
  out="$j-$w.svg"
  ft --journal "$j" --width "$w" -o "$out" "$NUC"
  expect_rc 0 "$j $w: convert" || continue
  width=$(root_attr "$out" width)
  height=$(root_attr "$out" height)
  expect "$j $w: width $width is ${mm}mm" "$width" = "$(printf '%s' "$mm")mm"
  # a square image stays square
  expect "$j $w: height $height equals width" "$height" = "$width"
  expect "$j $w: viewBox in pixels" "$(root_attr "$out" viewBox)" = "0 0 256 256"
  checks=$((checks + 1))
  if rsvg-convert -o "$out.png" "$out" 2>"$TMP/rsvg.err"; then
    ok "$j $w: renders with rsvg-convert"
  else
    fail "$j $w: rsvg-convert failed: $(cat "$TMP/rsvg.err")"
  fi
  ft check --journal "$j" "$out"
  expect_rc 0 "$j $w: passes figtrace check" || sed 's/^/    /' ft.out >&2
  bar=$(attr "$out" scale-bar width)
  checks=$((checks + 1))
  if [ -n "$bar" ] && near "$(awk -v b="$bar" 'BEGIN { print b * 0.65 }')" 20 0.01; then
    ok "$j $w: scale bar $bar px = 20 um"
  else
    fail "$j $w: scale bar '$bar' px is not 20 um at 0.65 um/px"
  fi
  expect "$j $w: scale bar label" "$(grep -c '>20 µm</text>' "$out")" -eq 1
  expect "$j $w: layers with ids and labels" \
    "$(grep -c 'id="ink" inkscape:groupmode="layer" inkscape:label="Ink" fill=' "$out")" -eq 1
  expect "$j $w: annotations layer" \
    "$(grep -c 'id="annotations" inkscape:groupmode="layer"' "$out")" -eq 1
  expect "$j $w: description names the pixel size" "$(grep -c '<desc>.*0.65 µm' "$out")" -eq 1
done

# The label is set in the journal's size: 7 pt for Nature at 89 mm over
# 256 units is 7 * 25.4 / 72 * 256 / 89 = 7.103 units.
size=$(attr nature-single.svg scale-bar-label font-size)
expect "nature: label font-size $size is 7 pt" "$(near "$size" 7.103 0.002 && echo y)" = y

# Pixel size and bar length from the command line.
ft --pixel-size 0.1 -o px.svg "$NUC"
expect_rc 0 "--pixel-size 0.1"
bar=$(attr px.svg scale-bar width)
expect "--pixel-size 0.1: 5 um bar is 50 px ($bar)" "$(near "$bar" 50 0.001 && echo y)" = y
ft --scale-bar 50um -o fixed.svg "$NUC"
expect_rc 0 "--scale-bar 50um"
bar=$(attr fixed.svg scale-bar width)
expect "--scale-bar 50um: $bar px" "$(near "$bar" 76.923 0.001 && echo y)" = y
ft --scale-bar off -o off.svg "$NUC"
expect "--scale-bar off: no bar" "$(grep -c scale-bar off.svg)" -eq 0

# Palettes: Okabe-Ito's black for ink by default, a file's colours in layer order.
expect "okabe-ito ink" "$(grep -c 'id="ink".*fill="#000000"' nature-single.svg)" -eq 1
printf '# my colours\n#112233\n' >pal.txt
ft --palette pal.txt -o pal.svg "$NUC"
expect_rc 0 "--palette FILE"
expect "palette file colour on ink" "$(grep -c 'id="ink".*fill="#112233"' pal.svg)" -eq 1

# ---- Cairo outputs ----
ft --journal nature -o n.pdf "$NUC"
expect_rc 0 "pdf by extension"
expect "pdf header" "$(head -c 5 n.pdf)" = "%PDF-"
if command -v pdfinfo >/dev/null 2>&1; then
  pdfinfo n.pdf >pdfinfo.txt 2>&1
  expect "pdf page 89 mm = 252.283 pt" "$(grep -c 'Page size: *252.28[0-9]* x 252.28' pdfinfo.txt)" -eq 1
  ft --journal nature --width double --format pdf -o d.out "$NUC"
  pdfinfo d.out >pdfinfo.txt 2>&1
  expect "--format pdf double: 183 mm = 518.74 pt" \
    "$(grep -c 'Page size: *518.7[0-9]* x 518.7' pdfinfo.txt)" -eq 1
  if command -v pdffonts >/dev/null 2>&1; then
    expect "pdf font embedded" "$(pdffonts n.pdf | awk 'NR > 2 && $(NF-4) == "yes"' | wc -l)" -ge 1
  fi
else
  echo "note: pdfinfo (poppler-utils) missing, page size not checked"
fi
ft --journal plos --width double --outline-text -o p.eps "$NUC"
expect_rc 0 "eps with outlined text"
expect "eps header" "$(head -n 1 p.eps)" = "%!PS-Adobe-3.0 EPSF-3.0"
expect "eps: no font in outlined text" "$(grep -c FontName p.eps)" -eq 0
ft --journal nature --dpi 100 -o n.png "$NUC"
expect_rc 0 "png at 100 dpi"
# 89 mm at 100 dpi = 350.4 -> 350 pixels; width is the big-endian u32 at byte 16
pw=$(od -An -tu1 -j16 -N4 n.png | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
expect "png width $pw = 350" "$pw" -eq 350
ft --journal nature --dpi 100 -o n.tif "$NUC"
expect_rc 0 "tiff at 100 dpi"
expect "tiff header" "$(head -c 4 n.tif | od -An -c | tr -d ' ')" = 'II*\0'
ft --pixel-size 1 -o back.svg n.tif
expect_rc 0 "the tiff reads back into figtrace"
mkdir -p fmt
cp "$NUC" fmt/cells.tif
ft --format pdf fmt/cells.tif
expect_rc 0 "--format pdf without -o"
expect "written beside the input as cells.pdf" -s fmt/cells.pdf

# ---- underlay ----
ft --underlay image --journal nature -o u.svg "$NUC"
expect_rc 0 "--underlay image"
expect "underlay: one embedded PNG" "$(grep -c 'xlink:href="data:image/png;base64,' u.svg)" -eq 1
expect "underlay: at native size" "$(grep -c '<image x="0" y="0" width="256" height="256"' u.svg)" -eq 1
expect "underlay: window in the metadata" "$(grep -c 'figtrace:displayWindow mapping="linear"' u.svg)" -eq 1
checks=$((checks + 1))
if rsvg-convert -o u.png u.svg 2>/dev/null; then ok "underlay renders"; else fail "underlay does not render"; fi
ft check --journal nature u.svg
expect_rc 1 "check flags the raster underlay"
expect "underlay: the raster is the only finding" "$(grep -c . ft.out)" -eq 1
# Over an underlay the shapes are stroked outlines: none below the minimum.
for j in nature cell science plos elife; do
  ft --underlay image --journal "$j" --width double -o "u-$j.svg" "$NUC"
  ft check --journal "$j" "u-$j.svg"
  expect "underlay $j: outlines stroked, none thinner than the minimum" \
    "$(grep -c 'stroke="#' "u-$j.svg")-$(grep -c thinner ft.out)" = "1-0"
done
ft --underlay image --window 1000:30000 -o w.svg "$NUC"
expect "--window recorded" "$(grep -c 'displayWindow mapping="linear">1000 30000<' w.svg)" -eq 1
ft --underlay image --gamma 0.7 "$NUC"
expect_rc 2 "--gamma refused without --allow-nonlinear"
ft --underlay image --gamma 0.7 --allow-nonlinear -o g.svg "$NUC"
expect_rc 0 "--gamma with --allow-nonlinear"
expect "gamma stated in desc" "$(grep -c '<desc>.*gamma of 0.7' g.svg)" -eq 1
ft --underlay image -o u.pdf "$NUC"
expect_rc 0 "underlay in pdf"

# ---- usage errors ----
for bad in "--journal lancet" "--width 0" "--width triple" "--palette nosuch.txt" \
    "--pixel-size -1" "--scale-bar 5furlongs" "--format gif" "--dpi 5" "--underlay maybe" \
    "--window 5:1" "--gamma 0" "--window 1:5"; do
  # shellcheck disable=SC2086
  ft $bad "$NUC"
  expect_rc 2 "usage: $bad"
done

# ---- figtrace check on crafted SVGs ----
head='<svg xmlns="http://www.w3.org/2000/svg" width="89mm" height="50mm" viewBox="0 0 89 50">'
printf '%s<path id="thin" d="M0 0L9 9" stroke="#000" stroke-width="0.02"/></svg>\n' "$head" >thin.svg
printf '%s<g transform="scale(0.05)"><path id="scaled" d="M0 0" stroke="#000" stroke-width="1"/></g></svg>\n' \
  "$head" >scaled.svg
printf '%s<text id="font" font-family="Papyrus" font-size="2">x</text></svg>\n' "$head" >font.svg
printf '%s<text id="tiny" font-family="Arial" font-size="1">x</text></svg>\n' "$head" >tiny.svg
printf '%s<image id="img" href="a.png" width="5" height="5"/></svg>\n' "$head" >raster.svg
printf '<svg xmlns="http://www.w3.org/2000/svg" width="89mm" height="50mm"/>\n' >novb.svg
printf '<svg xmlns="http://www.w3.org/2000/svg" width="250mm" height="50mm" viewBox="0 0 1 1"/>\n' >wide.svg
printf '<svg xmlns="http://www.w3.org/2000/svg" width="89mm" height="300mm" viewBox="0 0 1 1"/>\n' >tall.svg
printf '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 1 1"/>\n' >px.svg
for case in "thin.svg:thin:thinner" "scaled.svg:scaled:thinner" "font.svg:font:papyrus" \
    "tiny.svg:tiny:smaller" "raster.svg:img:raster" "novb.svg:svg:viewBox" \
    "wide.svg:svg:wider" "tall.svg:svg:taller" "px.svg:svg:pixels"; do
  f=${case%%:*}
  rest=${case#*:}
  what=${rest#*:}
  ft check --journal nature "$f"
  expect_rc 1 "check $f: broken rule found"
  checks=$((checks + 1))
  if grep -qi "^$f:[0-9]*: .*${rest%%:*}.*$what" ft.out; then
    ok "check $f: reports '$what'"
  else
    fail "check $f: output lacks '$what': $(cat ft.out)"
  fi
done
ft check --journal nature nature-single.svg thin.svg
expect_rc 1 "check: one bad file of two"
ft check --journal lancet thin.svg
expect_rc 2 "check: unknown journal is a usage error"
ft check
expect_rc 2 "check: no file is a usage error"
printf 'not xml' >junk.svg
ft check junk.svg
expect_rc 1 "check: unreadable SVG"
stderr_has "not well-formed" "check: says why"

# ---- --help and the man page list the figure options ----
ft --help
for opt in --journal --width --palette --pixel-size --scale-bar --format --dpi --outline-text \
    --underlay --window --gamma --allow-nonlinear; do
  checks=$((checks + 1))
  if grep -qE -- "(^|[ ,])$opt([ =,]|\$)" ft.out; then ok "--help lists $opt"; else fail "--help lacks $opt"; fi
  checks=$((checks + 1))
  man_opt=$(printf '%s' "$opt" | sed 's/-/\\-/g')
  if grep -qF -- "$man_opt" "$FT_SRCDIR/man/figtrace.1"; then
    ok "man page lists $opt"
  else
    fail "man page lacks $opt"
  fi
done

finish
