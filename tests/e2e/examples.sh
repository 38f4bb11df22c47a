#!/bin/sh
# tests/e2e/examples.sh - the batch recipes the manual and samples/ offer.
#
# samples/batch/figures.mk converts a folder and, run again, converts only
# what changed; samples/batch/slurm-array.sh splits a folder between the
# tasks of an array (run here with the SLURM_ARRAY_* variables set by hand)
# and, submitted again, converts only what is missing; samples/batch/
# parallel.sh does the same with GNU parallel when it is installed;
# find | xargs -0 figtrace -o DIR converts a tree, names with spaces included.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

cd "$TMP" || exit 99
mkdir -p scans/deep
cp "$SAMPLES/diagram.png" scans/diagram.png
cp "$SAMPLES/logo.pnm" scans/logo.pnm
cp "$SAMPLES/sketch.jpg" "scans/deep/pencil sketch.jpg"
cp "$SAMPLES/nuclei.tif" scans/deep/nuclei.tif

listing() {
  (cd "$1" && ls -A | tr '\n' ' ')
}

# ---- make -f samples/batch/figures.mk ----
if command -v make >/dev/null 2>&1; then
  mk() { # the test may itself run under make: start from a clean slate
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
      make --no-print-directory -f "$FT_SRCDIR/samples/batch/figures.mk" SRC=scans OUT=figs \
      FIGTRACE="$FIGTRACE" "$@" >make.out 2>&1
  }
  mk
  rc=$?
  expect "make: first run succeeds" "$rc" -eq 0
  expect "make: both figures made" "$(listing figs)" = "diagram.svg logo.svg "
  mk -q
  expect "make: up to date after the first run" "$?" -eq 0
  touch -d '2000-01-01 00:00' figs/logo.svg
  mk -n
  expect "make: a figure older than its input is redone, alone" \
    "$(grep -c -- " -o figs/" make.out) $(grep -c -- "-o figs/logo.svg" make.out)" = "1 1" ||
    sed 's/^/    make: /' make.out >&2
  printf 'broken' >scans/broken.png
  mk
  rc=$?
  expect "make: a bad input fails the run" "$rc" -ne 0
  expect "make: no SVG for the bad input" ! -e figs/broken.svg
  rm scans/broken.png
  mk clean
  expect "make: clean removes the figures" "$(listing figs)" = ""
else
  echo "note: make is not installed; figures.mk not tried"
fi

# ---- samples/batch/slurm-array.sh ----
slurm() { # TASK : run array task TASK of 1-2
  SLURM_ARRAY_TASK_ID=$1 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=2 FIGTRACE="$FIGTRACE" \
    sh "$FT_SRCDIR/samples/batch/slurm-array.sh" scans slurm-out >slurm.out 2>&1
}
slurm 1
rc=$?
expect "slurm: task 1 of 2 succeeds" "$rc" -eq 0
expect "slurm: task 1 converted half the folder" "$(find slurm-out -name '*.svg' | wc -l)" -eq 2
slurm 2
rc=$?
expect "slurm: task 2 of 2 succeeds" "$rc" -eq 0
expect "slurm: both tasks together converted the folder, tree mirrored" \
  "$(cd slurm-out && find . -name '*.svg' | sort | tr '\n' ' ')" = \
  "./deep/nuclei.svg ./deep/pencil sketch.svg ./diagram.svg ./logo.svg "
expect "slurm: one log per task" "$(ls slurm-out/logs | tr '\n' ' ')" = "task-1.jsonl task-2.jsonl "
rm "slurm-out/deep/nuclei.svg"
slurm 1
slurm 2
expect "slurm: a resubmitted array converts only what is missing" \
  "$(cat slurm-out/logs/*.jsonl | grep -c '"status":"ok"') $(cat slurm-out/logs/*.jsonl | grep -c '"status":"skipped"')" = "5 3"
expect "slurm: the missing figure is back" -s slurm-out/deep/nuclei.svg
SLURM_ARRAY_TASK_ID=99 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=2 FIGTRACE="$FIGTRACE" \
  sh "$FT_SRCDIR/samples/batch/slurm-array.sh" scans slurm-out >slurm.out 2>&1
rc=$?
expect "slurm: a task outside the array fails" "$rc" -eq 2

# ---- samples/batch/parallel.sh ----
if command -v parallel >/dev/null 2>&1 && parallel --version 2>/dev/null | grep -q GNU; then
  FIGTRACE="$FIGTRACE" sh "$FT_SRCDIR/samples/batch/parallel.sh" scans par-out >par.out 2>&1
  rc=$?
  expect "parallel: succeeds" "$rc" -eq 0 || sed 's/^/    /' par.out >&2
  expect "parallel: every input converted, tree mirrored" \
    "$(cd par-out && find . -name '*.svg' | sort | tr '\n' ' ')" = \
    "./deep/nuclei.svg ./deep/pencil sketch.svg ./diagram.svg ./logo.svg "
  expect "parallel: a job log" -s par-out/parallel.joblog
else
  echo "note: GNU parallel is not installed; parallel.sh not tried"
fi

# ---- find | xargs ----
find scans -type f -print0 | xargs -0 "$FIGTRACE" -o xargs-out/ >xargs.out 2>&1
rc=$?
expect "find | xargs -0 figtrace -o DIR/ succeeds" "$rc" -eq 0
expect "find | xargs: every input converted" \
  "$(listing xargs-out)" = "diagram.svg logo.svg nuclei.svg pencil sketch.svg "

finish
