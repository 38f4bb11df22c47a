#!/bin/sh
# tests/e2e/errors.sh - failures and usage errors.
#
# A corrupt, truncated, missing or oversized input fails with exit 1, one
# message "figtrace: INPUT: reason" that names the input once, and no output
# file (not even a temporary); an existing output is left untouched.  In a
# batch, the good inputs are still converted.  Usage errors exit 2 before
# anything is converted or created.  --help and --version exit 0, and --help
# and the manual page name every option.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

cd "$TMP" || exit 99
mkdir in
cp "$SAMPLES/diagram.png" in/good.png
cp "$SAMPLES/logo.pnm" in/good2.pnm
head -c 300 "$SAMPLES/diagram.png" >in/truncated.png
printf 'this is not an image\n' >in/text.png
# A PNG signature followed by garbage.
{ printf '\211PNG\r\n\032\n'; head -c 64 /dev/zero; } >in/garbage.png

# listing DIR : the names in DIR, one line, sorted.
listing() {
  (cd "$1" && ls -A | tr '\n' ' ')
}

# ---- single bad inputs ----
for f in truncated.png text.png garbage.png missing.png; do
  ft "in/$f"
  expect_rc 1 "$f: fails"
  expect "$f: one line on stderr" "$(wc -l <ft.err)" -eq 1
  expect "$f: message starts with 'figtrace: in/$f: '" \
    "$(grep -c "^figtrace: in/$f: " ft.err)" -eq 1
  expect "$f: input named once" "$(grep -o "in/$f" ft.err | wc -l)" -eq 1
  expect "$f: nothing on stdout" ! -s ft.out
  expect "$f: no SVG written" ! -e "in/${f%.png}.svg"
done
expect "no temporary files left beside the inputs" \
  "$(listing in)" = "garbage.png good.png good2.pnm text.png truncated.png "

# Corrupt data on standard input.
ft - <in/truncated.png
expect_rc 1 "truncated PNG on stdin fails"
expect "stdin failure: message on stderr" -s ft.err
expect "stdin failure: nothing on stdout" ! -s ft.out

# A failed conversion leaves an existing output as it was.
printf 'keep me\n' >in/truncated.svg
ft in/truncated.png
expect_rc 1 "failure with an existing output"
expect "existing output untouched" "$(cat in/truncated.svg)" = "keep me"
rm in/truncated.svg

# The size guard refuses before decoding.
ft --max-pixels 1000 -o big.svg in/good.png
expect_rc 1 "--max-pixels 1000 refuses a 480x320 image"
stderr_has "in/good.png" "--max-pixels: message names the input"
expect "--max-pixels: no output" ! -e big.svg
ft --max-pixels 1M -o fits.svg in/good.png
expect_rc 0 "--max-pixels 1M accepts a 480x320 image"
expect "--max-pixels 1M: output written" -s fits.svg
rm -f fits.svg

# ---- a batch with one bad file ----
ft -o out in/good.png in/truncated.png in/good2.pnm
expect_rc 1 "batch with one bad input"
expect "batch: first good input converted" -s out/good.svg
expect "batch: input after the bad one converted" -s out/good2.svg
expect "batch: no output for the bad input" ! -e out/truncated.svg
expect "batch: nothing else in the output directory" "$(listing out)" = "good.svg good2.svg "
expect "batch: one error line" "$(wc -l <ft.err)" -eq 1
stderr_has "figtrace: in/truncated.png: " "batch: error names the bad input"
rm -rf out

# ---- usage errors: exit 2, a hint, nothing converted or created ----
usage() { # DESCRIPTION ARGS...
  u_desc=$1
  shift
  u_top=$(listing .)
  u_in=$(listing in)
  ft "$@"
  expect_rc 2 "usage: $u_desc"
  stderr_has "Try 'figtrace --help'" "usage: $u_desc: hint printed"
  expect "usage: $u_desc: nothing created" "$(listing .)" = "$u_top"
  expect "usage: $u_desc: nothing converted" "$(listing in)" = "$u_in"
}
usage "no input"
usage "unknown long option" --bogus in/good.png
usage "unknown short option" -x in/good.png
usage "option taking no argument given one" --invert=yes in/good.png
usage "missing option argument" in/good.png --threshold
usage "missing -o argument" in/good.png -o
usage "threshold above 1" --threshold 1.5 in/good.png
usage "threshold below 0" --threshold=-0.1 in/good.png
usage "threshold not a number" --threshold abc in/good.png
usage "threshold with trailing text" --threshold 0.5x in/good.png
usage "negative page" --page -1 in/good.png
usage "page not a number" --page two in/good.png
usage "zero max-pixels" --max-pixels 0 in/good.png
usage "bad max-pixels suffix" --max-pixels 12Q in/good.png
usage "stdin twice" - - </dev/null
usage "-o - with two inputs" -o - in/good.png in/good2.pnm
usage "-o twice" -o a.svg -o b.svg in/good.png
usage "two inputs, one output name" in/good.png in/good.png
mkdir in/a in/b
cp in/good.png in/a/x.png
cp in/good2.pnm in/b/x.pnm
usage "same name from two folders into -o DIR" -o out/ in/a/x.png in/b/x.pnm
expect "usage: -o DIR not created on a usage error" ! -e out
ft in/a/x.png in/b/x.pnm
expect_rc 0 "same names in two folders, without -o, do not collide"
expect "both converted beside their inputs" -s in/a/x.svg -a -s in/b/x.svg
rm -rf in/a in/b
cp in/good.png in/fig.svg
usage "output would overwrite the input" in/fig.svg
rm in/fig.svg
printf 'x' >notadir
ft -o notadir in/good.png in/good2.pnm
expect_rc 2 "-o naming a file with several inputs"
rm notadir

# ---- help and version ----
ft --version
expect_rc 0 "--version"
expect "--version prints 'figtrace X.Y.Z'" \
  "$(grep -c '^figtrace [0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*$' ft.out)" -eq 1
ft --help
expect_rc 0 "--help"
expect "--help: nothing on stderr" ! -s ft.err
ft -h
expect_rc 0 "-h"
for opt in -o --output --threshold --invert --page --max-pixels --trace --stroke-width -q --quiet -v --verbose \
    -h --help --version -r --recursive --include -j --jobs --skip-existing --progress --log \
    --report --shard -p --preset --list-presets --denoise --colors --min-area --thin --relative \
    --segment --labels; do
  checks=$((checks + 1))
  if grep -qE -- "(^|[ ,])$opt([ =,]|\$)" ft.out; then
    ok "--help lists $opt"
  else
    fail "--help does not list $opt"
  fi
  man_opt=$(printf '%s' "$opt" | sed 's/-/\\-/g')
  checks=$((checks + 1))
  if grep -qF -- "$man_opt" "$FT_SRCDIR/man/figtrace.1"; then
    ok "man page lists $opt"
  else
    fail "man page does not list $opt"
  fi
done

finish
