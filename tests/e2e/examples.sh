#!/bin/sh
# tests/e2e/examples.sh - the batch recipes the manual and samples/ offer.
#
# samples/figures.mk converts a folder and, run again, converts only what
# changed; samples/slurm-array.sh converts line N of a list for array task N
# (run here with SLURM_ARRAY_TASK_ID set by hand); find | xargs -0 figtrace
# -o DIR converts a tree, names with spaces included.
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

# ---- make -f samples/figures.mk ----
if command -v make >/dev/null 2>&1; then
  mk() { # the test may itself run under make: start from a clean slate
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
      make --no-print-directory -f "$FT_SRCDIR/samples/figures.mk" SRC=scans OUT=figs \
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

# ---- samples/slurm-array.sh ----
find scans -type f | sort >list.txt
SLURM_ARRAY_TASK_ID=2 FIGTRACE="$FIGTRACE" sh "$FT_SRCDIR/samples/slurm-array.sh" \
  list.txt slurm-out >slurm.out 2>&1
rc=$?
expect "slurm: task 2 succeeds" "$rc" -eq 0
second=$(sed -n 2p list.txt)
second=${second##*/}
expect "slurm: task 2 converted line 2 only" "$(listing slurm-out)" = "${second%.*}.svg "
SLURM_ARRAY_TASK_ID=99 FIGTRACE="$FIGTRACE" sh "$FT_SRCDIR/samples/slurm-array.sh" \
  list.txt slurm-out >slurm.out 2>&1
rc=$?
expect "slurm: a task beyond the list fails" "$rc" -eq 2

# ---- find | xargs ----
find scans -type f -print0 | xargs -0 "$FIGTRACE" -o xargs-out/ >xargs.out 2>&1
rc=$?
expect "find | xargs -0 figtrace -o DIR/ succeeds" "$rc" -eq 0
expect "find | xargs: every input converted" \
  "$(listing xargs-out)" = "diagram.svg logo.svg nuclei.svg pencil sketch.svg "

finish
