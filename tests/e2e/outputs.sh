#!/bin/sh
# tests/e2e/outputs.sh - where the SVGs go.
#
# Without -o a file's SVG lands beside it and standard input goes to standard
# output; -o names a file for one input, a directory (created with its
# parents) for several or when it ends in / or exists; -o - is standard
# output; stdin in a directory batch becomes stdin.svg.  Successful runs
# leave no temporary files, replace an existing output, and -v reports each
# conversion while -q keeps errors visible.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

cd "$TMP" || exit 99
mkdir -p in/sub
cp "$SAMPLES/diagram.png" in/diagram.png
cp "$SAMPLES/logo.pnm" in/sub/logo.pnm
cp "$SAMPLES/sketch.jpg" "in/my sketch.jpg"
cp "$SAMPLES/diagram.png" in/noext

listing() {
  (cd "$1" && ls -A | tr '\n' ' ')
}
is_svg() { # FILE : starts with an XML declaration and holds an <svg element
  [ -s "$1" ] && head -c 100 "$1" | grep -q '^<?xml' && grep -q '<svg' "$1"
}

# Beside the input, extension replaced (or added).
ft in/diagram.png in/sub/logo.pnm "in/my sketch.jpg" in/noext
expect_rc 0 "three inputs without -o"
expect "in/diagram.svg written" -s in/diagram.svg
expect "in/sub/logo.svg written" -s in/sub/logo.svg
expect "'in/my sketch.svg' written" -s "in/my sketch.svg"
expect "in/noext.svg written" -s in/noext.svg
checks=$((checks + 1))
if is_svg in/diagram.svg; then ok "output is an SVG document"; else fail "in/diagram.svg is not SVG"; fi
expect "nothing on stdout" ! -s ft.out
expect "nothing on stderr" ! -s ft.err
expect "no temporary files beside the inputs" \
  "$(listing in)" = "diagram.png diagram.svg my sketch.jpg my sketch.svg noext noext.svg sub "
expect "no temporary files in in/sub" "$(listing in/sub)" = "logo.pnm logo.svg "

# An existing output is replaced.
printf 'old\n' >in/diagram.svg
ft in/diagram.png
expect_rc 0 "convert over an existing output"
checks=$((checks + 1))
if is_svg in/diagram.svg; then ok "existing output replaced"; else fail "existing output not replaced"; fi
rm -f in/*.svg in/sub/*.svg "in/my sketch.svg"

# -o FILE for a single input.
ft -o named.svg in/diagram.png
expect_rc 0 "-o FILE"
expect "-o FILE: named.svg written" -s named.svg
expect "-o FILE: nothing beside the input" ! -e in/diagram.svg

# -o DIR for several inputs: created with its parents.
ft -o new/deep/ in/diagram.png in/sub/logo.pnm
expect_rc 0 "-o DIR/ with two inputs"
expect "-o DIR: exactly the two SVGs" "$(listing new/deep)" = "diagram.svg logo.svg "
ft in/diagram.png "in/my sketch.jpg" -o newdir
expect_rc 0 "-o DIR without a slash, options after the inputs"
expect "-o DIR: created and filled" "$(listing newdir)" = "diagram.svg my sketch.svg "

# -o naming an existing directory, or ending in /, with one input.
mkdir exists
ft -o exists in/sub/logo.pnm
expect_rc 0 "-o existing directory with one input"
expect "-o existing directory: exists/logo.svg" -s exists/logo.svg
ft -o fresh/ in/sub/logo.pnm
expect_rc 0 "-o DIR/ with one input"
expect "-o DIR/: fresh/logo.svg" -s fresh/logo.svg

# -o - writes the single SVG to standard output.
ft -o - in/diagram.png
expect_rc 0 "-o -"
checks=$((checks + 1))
if is_svg ft.out; then ok "-o -: SVG on stdout"; else fail "-o -: no SVG on stdout"; fi
expect "-o -: nothing beside the input" ! -e in/diagram.svg

# Standard input goes to standard output without -o ...
ft - <in/diagram.png
expect_rc 0 "stdin to stdout"
checks=$((checks + 1))
if is_svg ft.out; then ok "stdin: SVG on stdout"; else fail "stdin: no SVG on stdout"; fi
cp ft.out from-stdin.svg
ft -o - in/diagram.png
checks=$((checks + 1))
if [ "$(grep -c '<path' from-stdin.svg)" = "$(grep -c '<path' ft.out)" ]; then
  ok "stdin and file give the same number of paths"
else
  fail "stdin and file give different numbers of paths"
fi

# ... and to DIR/stdin.svg in a directory batch.
ft -o batch - in/sub/logo.pnm <in/diagram.png
expect_rc 0 "stdin in a -o DIR batch"
expect "stdin in a batch: batch/stdin.svg and batch/logo.svg" \
  "$(listing batch)" = "logo.svg stdin.svg "

# -- ends the options: an input whose name starts with a dash.
cp in/diagram.png ./-dash.png
ft -- -dash.png
expect_rc 0 "-- before an input named -dash.png"
expect "-dash.svg written" -s ./-dash.svg

# Verbose reports each conversion; quiet still reports errors.
ft -v -o v.svg in/diagram.png
expect_rc 0 "-v"
stderr_has "figtrace: in/diagram.png: 480x320" "-v reports the input and its size"
stderr_has "v.svg" "-v reports the output"
ft -q -o q.svg in/diagram.png
expect_rc 0 "-q"
expect "-q: silent on success" ! -s ft.err
printf 'junk' >junk.png
ft -q junk.png
expect_rc 1 "-q with a bad input"
stderr_has "figtrace: junk.png: " "-q still prints errors"

finish
