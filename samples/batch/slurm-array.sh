#!/bin/sh
#SBATCH --job-name=figtrace
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=01:00:00
# samples/batch/slurm-array.sh - split a folder of images across a Slurm array.
#
#   sbatch --array=1-8 samples/batch/slurm-array.sh scans figures [OPTION]...
#
# Task K of an array of N (a contiguous range such as 1-8 or 0-7) converts
# inputs K, K+N, K+2N... of the folder's images, found with -r in name
# order (figtrace --shard K/N), using one worker per CPU Slurm gave it, into
# FIGURES with the folder's tree mirrored.  Each task appends one JSON line
# per input to its own log, FIGURES/logs/task-K.jsonl.  --skip-existing makes
# the script safe to submit again: after a time limit or a lost node the
# same command converts only what is still missing.  Extra arguments are
# passed to figtrace (e.g. --threshold 0.6 --include '*.tif').
#
# The exit status is figtrace's (0 every input converted, 1 some failed),
# so `sacct` shows the tasks with failures, and
#   grep -h '"status":"failed"' figures/logs/*.jsonl
# names the inputs.  Set FIGTRACE to use a figtrace not on PATH.
set -eu
usage="usage: slurm-array.sh SRCDIR OUTDIR [FIGTRACE OPTION]..."
src=${1:?$usage}
out=${2:?$usage}
shift 2
id=${SLURM_ARRAY_TASK_ID:?not a Slurm array task (SLURM_ARRAY_TASK_ID is unset)}
count=${SLURM_ARRAY_TASK_COUNT:-1}
k=$((id - ${SLURM_ARRAY_TASK_MIN:-1} + 1))
if [ "$k" -lt 1 ] || [ "$k" -gt "$count" ]; then
  echo "slurm-array.sh: task $id is outside the array's $count tasks" >&2
  exit 2
fi
mkdir -p "$out/logs"
exec "${FIGTRACE:-figtrace}" -r --shard "$k/$count" -j "${SLURM_CPUS_PER_TASK:-1}" \
  --skip-existing --progress=never --log "$out/logs/task-$k.jsonl" -o "$out/" "$@" -- "$src"
