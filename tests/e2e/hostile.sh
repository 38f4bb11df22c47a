#!/bin/sh
# tests/e2e/hostile.sh - damaged and malicious inputs through the program.
#
# Every sample cut at each 10% of its length, a sample with its magic bytes
# overwritten, and every file of tests/data/bad/ (hand-made by
# tools/fuzz/make-bad.py: huge or zero declared sizes, palette index
# overflow, TIFF offsets outside the file, JPEG markers with bad lengths;
# plus any input the fuzzers once crashed on) must each fail cleanly:
# exit status 1, one "figtrace: NAME: reason" line, no output file and no
# temporary left.  Then all of them in one batch, mixed with good inputs:
# every good one converted, every bad one reported, exit 1.  Under the
# sanitizer build (the second `make check` of .ci/run) the same runs are
# checked for leaks and undefined behaviour.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

cd "$TMP" || exit 99
mkdir hostile out
n=0
for f in "$SAMPLES/diagram.png" "$SAMPLES/logo.pnm" "$SAMPLES/nuclei.tif" "$SAMPLES/sketch.jpg"; do
  base=$(basename "$f")
  size=$(wc -c <"$f")
  for pct in 0 10 20 30 40 50 60 70 80 90; do
    head -c $((size * pct / 100)) "$f" >"hostile/cut$pct-$base"
    n=$((n + 1))
  done
  { printf 'XXXX'; tail -c +5 "$f"; } >"hostile/magic-$base"
  n=$((n + 1))
done
for f in "$FT_SRCDIR/tests/data/bad/"*; do
  [ -f "$f" ] || continue
  cp "$f" "hostile/$(basename "$f")"
  n=$((n + 1))
done
expect "hostile corpus assembled" "$n" -gt 60

# One at a time: exit 1, a message naming the input, no output.
bad=0
for f in hostile/*; do
  name=$(basename "$f")
  ft -o "out/$name.svg" "$f"
  if [ "$rc" -ne 1 ]; then
    fail "$name: exit status $rc, expected 1"
    sed 's/^/    stderr: /' ft.err >&2
    bad=$((bad + 1))
  elif [ "$(grep -c "^figtrace: $f: ..*" ft.err)" -ne 1 ] || [ "$(wc -l <ft.err)" -ne 1 ]; then
    fail "$name: expected one clear message"
    sed 's/^/    stderr: /' ft.err >&2
    bad=$((bad + 1))
  elif [ -e "out/$name.svg" ]; then
    fail "$name: an output file was written"
    bad=$((bad + 1))
  fi
  checks=$((checks + 1))
done
expect "every hostile input fails cleanly ($n inputs)" "$bad" -eq 0
expect "no file or temporary left in the output folder" "$(ls -A out | wc -l)" -eq 0

# All of them in one batch with good inputs in between.
mkdir batch
cp hostile/* batch/
cp "$SAMPLES/diagram.png" batch/zz-good1.png
cp "$SAMPLES/logo.pnm" batch/cut-good2.pnm
cp "$SAMPLES/sketch.jpg" batch/magic-good3.jpg
ft -j 2 --include '*' --log batch.jsonl -o batch-out batch
expect_rc 1 "mixed batch: exit 1"
expect "mixed batch: the good inputs converted" \
  "$(ls batch-out | tr '\n' ' ')" = "cut-good2.svg magic-good3.svg zz-good1.svg "
expect "mixed batch: every bad input reported" "$(grep -c '^figtrace: batch/' ft.err)" -eq "$n"
expect "mixed batch: every input logged" "$(wc -l <batch.jsonl)" -eq $((n + 3))
expect "mixed batch: bad inputs logged as failed" "$(grep -c '"status":"failed"' batch.jsonl)" -eq "$n"

finish
