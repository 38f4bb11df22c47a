#!/bin/sh
# samples/batch/parallel.sh - convert a folder with GNU parallel, one file per job.
#
#   sh samples/batch/parallel.sh scans figures [PARALLEL OPTION]...
#   sh samples/batch/parallel.sh scans figures --sshloginfile nodes.txt
#
# On one machine `figtrace -r -o figures scans` already uses every CPU; GNU
# parallel is for spreading a folder over several machines that share the
# file system (--sshloginfile, --sshdelay), or for chaining figtrace with
# other per-file steps.  Each job converts one image with -j 1 into FIGURES,
# mirroring the folder's tree ({//} is the file's directory, {/.} its name
# without extension), skipping images whose SVG already exists; parallel's
# --joblog FIGURES/parallel.joblog records every job's exit status, so a
# second run with --resume-failed retries only the failures.  The exit
# status is parallel's: the number of failed files (0 when all converted).
# Set FIGTRACE to use a figtrace not on PATH (an absolute path: the jobs
# run in SRCDIR).
set -eu
usage="usage: parallel.sh SRCDIR OUTDIR [PARALLEL OPTION]..."
src=${1:?$usage}
out=${2:?$usage}
shift 2
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$src"
find . -name '.?*' -prune -o -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \
  -o -iname '*.tif' -o -iname '*.tiff' -o -iname '*.pnm' -o -iname '*.pbm' -o -iname '*.pgm' \
  -o -iname '*.ppm' \) -print0 |
  LC_ALL=C sort -z |
  parallel -0 --will-cite --halt never --joblog "$out/parallel.joblog" "$@" \
    "${FIGTRACE:-figtrace}" -j 1 --skip-existing --progress=never -o "$out/{//}/{/.}.svg" -- {}
