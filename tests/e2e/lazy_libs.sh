#!/bin/sh
# tests/e2e/lazy_libs.sh - a conversion opens only the libraries it needs.
#
# libpng, Cairo, libtiff, libjpeg, libxml2, json-c and OpenBLAS are opened
# on first use (src/dl): a PGM traced to SVG loads none of them, a PNG
# loads libpng only, `figtrace check` libxml2, the microscopy preset's
# model json-c and OpenBLAS.  The loader's own trace (LD_DEBUG=files, glibc)
# tells which shared objects a run mapped.  Skipped for a build configured
# with --disable-lazy-libs, which links them all.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

if ! grep -q '^#define FT_LAZY_LIBS 1' "$FT_BUILDDIR/config.h" 2>/dev/null; then
  echo "SKIP: the libraries are linked at build time (--disable-lazy-libs)"
  exit 77
fi
cd "$TMP" || exit 99

# libs ARGS... : run figtrace under the loader's trace; $rc its exit status,
# $libs the sonames it mapped (one line, sorted).
libs() {
  LD_DEBUG=files "$FIGTRACE" "$@" >"$TMP/ft.out" 2>"$TMP/ft.err"
  rc=$?
  libs=$(sed -n 's/.*file=\([^ ]*\) \[[0-9]*\];  generating link map.*/\1/p' "$TMP/ft.err" |
    sed 's|.*/||' | LC_ALL=C sort -u | tr '\n' ' ')
}
# has SONAME-PREFIX : $libs has a library starting with SONAME-PREFIX
has() { case " $libs" in *" $1"*) return 0 ;; esac; return 1; }
# none WHAT PREFIX... : none of the prefixes in $libs
none() {
  n_what=$1
  shift
  for n_lib; do
    if has "$n_lib"; then
      checks=$((checks + 1))
      fail "$n_what: $n_lib was loaded ($libs)"
      return 1
    fi
  done
  expect "$n_what" 1 -eq 1
}

optional="libpng libjson-c libxml2 libcairo libtiff libjpeg libexif libopenblas"

libs --threshold 0.5 -o a.svg "$SAMPLES/logo.pnm"
expect_rc 0 "PNM to SVG"
expect "the loader's trace names the program's own libraries" "$(has libc.so && echo y)" = y
# shellcheck disable=SC2086
none "PNM to SVG loads no optional library" $optional

libs -o b.svg "$SAMPLES/diagram.png"
expect_rc 0 "PNG to SVG"
expect "PNG input loads libpng" "$(has libpng && echo y)" = y
none "PNG to SVG loads nothing else" libjson-c libxml2 libcairo libtiff libjpeg libopenblas

libs check b.svg
expect_rc 0 "figtrace check"
expect "figtrace check loads libxml2" "$(has libxml2 && echo y)" = y

libs -p microscopy -o c.svg "$SAMPLES/nuclei.tif"
expect_rc 0 "microscopy preset"
expect "the model loads json-c" "$(has libjson-c && echo y)" = y
expect "the network loads OpenBLAS" "$(has libopenblas && echo y)" = y
expect "the TIFF loads libtiff" "$(has libtiff && echo y)" = y

finish
