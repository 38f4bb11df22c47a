#!/bin/sh
# tests/e2e/batch.sh - directories, parallel workers, resume, log, progress, SIGINT.
#
# A directory INPUT stands for its images (sorted, hidden entries skipped,
# subdirectories with -r, --include globs instead of the extension list),
# and -o DIR mirrors the tree.  -j N converts N files at once yet reports in
# input order, so stderr and the --log lines are the same for -j 1 and -j 4.
# --skip-existing resumes; --log writes valid JSON Lines, file names with
# quotes, backslashes, newlines and invalid UTF-8 included; the progress bar
# appears only when asked for (stderr is not a terminal here); SIGINT stops
# a batch with exit 130 and no temporary or partial file left behind.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

cd "$TMP" || exit 99
mkdir -p scans/deep/deeper scans/.hidden-dir
cp "$SAMPLES/diagram.png" scans/a.png
cp "$SAMPLES/logo.pnm" scans/deep/b.pnm
cp "$SAMPLES/nuclei.tif" scans/deep/c.TIF
cp "$SAMPLES/sketch.jpg" scans/deep/deeper/d.jpg
cp "$SAMPLES/diagram.png" scans/.hidden.png
cp "$SAMPLES/diagram.png" scans/.hidden-dir/e.png
printf 'notes\n' >scans/notes.txt

tree() { # DIR : the files below DIR, sorted, one line
  (cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | tr '\n' ' ')
}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=

# ---- directories ----
ft -r -o out scans
expect_rc 0 "-r -o out scans"
expect "tree mirrored, hidden entries and non-images skipped" \
  "$(tree out)" = "a.svg deep/b.svg deep/c.svg deep/deeper/d.svg "
expect "no temporary files left" "$(find out -name '.*' | wc -l)" -eq 0

ft -o top scans
expect_rc 0 "a directory without -r"
expect "only the top level converted" "$(tree top)" = "a.svg "

ft -r --include '*.tif' --include '*.TIF' -o tifs scans
expect_rc 0 "--include"
expect "--include selects by name" "$(tree tifs)" = "deep/c.svg "

ft -r scans/deep
expect_rc 0 "-r without -o"
expect "SVGs written beside the inputs" -s scans/deep/deeper/d.svg
rm -f scans/deep/*.svg scans/deep/deeper/*.svg

mkdir empty
ft empty
expect_rc 0 "an empty directory is not an error"
stderr_has "no images found" "an empty directory is reported"

# ---- stdin beside a directory ----
ft -o mixed - scans/deep <"$SAMPLES/diagram.png"
expect_rc 0 "stdin and a directory"
expect "stdin.svg and the directory's images" "$(tree mixed)" = "b.svg c.svg stdin.svg "

ft -o - scans/deep
expect_rc 2 "-o - with a directory is a usage error"

# ---- bad inputs mixed in; order is the same for any -j ----
mkdir -p mix
i=0
for f in "$SAMPLES/diagram.png" "$SAMPLES/logo.pnm" "$SAMPLES/nuclei.tif" "$SAMPLES/sketch.jpg"; do
  i=$((i + 1))
  cp "$f" "mix/good$i.${f##*.}"
  printf 'broken %d' "$i" >"mix/bad$i.png"
  head -c 300 "$f" >"mix/trunc$i.${f##*.}"
done
ft -j 1 -o mix1 mix
expect_rc 1 "-j 1 with bad inputs: exit 1"
cp ft.err err1
ft -j 4 -o mix4 mix
expect_rc 1 "-j 4 with bad inputs: exit 1"
cp ft.err err4
expect "-j 4 reports exactly what -j 1 does, in the same order" "$(cat err1)" = "$(cat err4)" || {
  diff err1 err4 | sed 's/^/    /' >&2
}
expect "every bad input reported" "$(grep -c 'mix/bad\|mix/trunc' err4)" -eq 8
expect "every good input converted" "$(tree mix4)" = "good1.svg good2.svg good3.svg good4.svg "
expect "reports in input (name) order" \
  "$(sed -n 's|^figtrace: mix/\([a-z]*[0-9]\)\..*|\1|p' err4 | tr '\n' ' ')" = \
  "bad1 bad2 bad3 bad4 trunc1 trunc2 trunc3 trunc4 "

# ---- --log ----
weird="$(printf 'we"ird\\name\001.png')"
cp "$SAMPLES/logo.pnm" "mix/$weird"
cp "$SAMPLES/logo.pnm" "$(printf 'mix/latin\351.pnm')"
ft -j 2 --log run.jsonl -o logged mix
expect_rc 1 "--log run"
expect "one log line per input" "$(wc -l <run.jsonl)" -eq 14
expect "log lines in input order" "$(head -n 1 run.jsonl | grep -c '"input":"mix/bad1.png"')" -eq 1
expect "failures logged with their error" \
  "$(grep -c '"status":"failed","error":"mix/bad1.png: not a PNG' run.jsonl)" -eq 1
expect "successes logged with figures" \
  "$(grep '"input":"mix/good1.png"' run.jsonl | grep -c '"status":"ok","error":null,"width":480,"height":320,"paths":[1-9]')" -eq 1
if [ -n "$PY" ]; then
  $PY - run.jsonl >py.out 2>&1 <<'PYEOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
keys = ["input", "output", "status", "error", "width", "height", "paths", "segments", "seconds"]
assert all(list(r) == keys for r in rows), "keys"
weird = [r for r in rows if r["input"].startswith("mix/we")]
assert weird and weird[0]["input"] == 'mix/we"ird\\name\x01.png', repr(weird)
latin = [r for r in rows if r["input"].startswith("mix/latin")]
assert latin and latin[0]["input"] == "mix/latin\ufffd.pnm", repr(latin)
print("ok", len(rows))
PYEOF
  expect "every log line is valid JSON with the right strings" "$(cat py.out)" = "ok 14" ||
    sed 's/^/    /' py.out >&2
fi

# ---- --skip-existing ----
touch -d '2000-01-01 00:00' logged/good1.svg
rm logged/good2.svg
ft --skip-existing --log resume.jsonl -o logged mix
expect_rc 1 "--skip-existing (the bad inputs still fail)"
expect "existing outputs left alone" \
  "$(find logged/good1.svg -newermt '2001-01-01' | wc -l)" -eq 0
expect "missing output made again" -s logged/good2.svg
expect "skipped inputs logged as skipped" "$(grep -c '"status":"skipped"' resume.jsonl)" -eq 5
expect "only the missing one converted" "$(grep -c '"status":"ok"' resume.jsonl)" -eq 1

# ---- progress ----
ft -o prog scans/deep
expect "no progress bar when stderr is not a terminal" ! -s ft.err
ft --progress=always -o prog2 scans/deep
expect_rc 0 "--progress=always"
stderr_has "2/2 files" "the bar counts files"
stderr_has "files/s" "the bar shows the rate"
ft -q --progress=always -o prog3 scans/deep
expect "-q silences the bar" ! -s ft.err
if command -v script >/dev/null 2>&1; then
  # util-linux script(1) runs the program on a pseudo-terminal.
  script -qec "\"$FIGTRACE\" -o tty-out scans/deep" /dev/null >tty.txt 2>&1
  checks=$((checks + 1))
  if grep -q '2/2 files' tty.txt; then ok "a bar by default on a terminal"; else
    fail "no progress bar on a terminal"
    sed 's/^/    tty: /' tty.txt >&2
  fi
fi
ft --progress=sometimes scans/deep
expect_rc 2 "a bad --progress value"
ft -j 0 scans/deep
expect_rc 2 "-j 0 is a usage error"

# ---- -vv: the wall time of each step ----
ft -vv -o vv.svg "$SAMPLES/diagram.png"
expect_rc 0 "-vv"
steps=$(grep -cE '^figtrace: .*diagram\.png: (read|segment|trace|fit|style|write): [0-9]+\.[0-9]{3} s$' "$TMP/ft.err")
expect "-vv: read, segment, trace, fit, style and write each timed" "$steps" -eq 6 ||
  sed 's/^/    stderr: /' "$TMP/ft.err" >&2
ft -v -o v.svg "$SAMPLES/diagram.png"
expect "-v alone: no step times" "$(grep -c ': fit: ' "$TMP/ft.err")" -eq 0

# ---- SIGINT ----
# Noise converts slowly (many small regions); ten names for one file keep
# a single worker busy long enough for the signal to land mid-batch.
mkdir -p slow
{ printf 'P5\n1500 1500\n255\n'; head -c 2250000 /dev/urandom; } >slow/noise.pgm
for n in 1 2 3 4 5 6 7 8 9; do ln -s noise.pgm "slow/noise$n.pgm"; done
"$FIGTRACE" -j 1 -o slow-out slow >slow.out 2>slow.err &
pid=$!
tries=0
while [ ! -d slow-out ] && [ $tries -lt 100 ]; do sleep 0.05; tries=$((tries + 1)); done
sleep 0.3
kill -INT $pid
wait $pid
rc=$?
expect "SIGINT: exit status 130" "$rc" -eq 130 || sed 's/^/    stderr: /' slow.err >&2
expect "SIGINT: no temporary file left" "$(find slow-out -name '.*' | wc -l)" -eq 0
expect "SIGINT: not every input converted" "$(find slow-out -type f | wc -l)" -lt 10
checks=$((checks + 1))
if grep -q 'interrupted' slow.err; then ok "SIGINT: the running input says interrupted"; else
  fail "SIGINT: no 'interrupted' message"
  sed 's/^/    stderr: /' slow.err >&2
fi

finish
