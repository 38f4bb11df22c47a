#!/bin/sh
#SBATCH --job-name=figtrace
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=00:10:00
# samples/slurm-array.sh - one figtrace conversion per task of a Slurm array.
#
#   find scans -name '*.tif' > inputs.txt
#   sbatch --array=1-$(wc -l < inputs.txt)%50 samples/slurm-array.sh inputs.txt out
#
# Task N converts line N of the list into OUTDIR/NAME.svg; its exit status is
# figtrace's (0 converted, 1 failed), so `sacct` shows which inputs failed.
# Inputs with the same file name in different folders would overwrite each
# other's SVG in OUTDIR: give each folder its own OUTDIR, or drop -o to write
# each SVG beside its input.  Set FIGTRACE to use a figtrace not on PATH.
set -eu
list=${1:?usage: slurm-array.sh LIST OUTDIR}
outdir=${2:?usage: slurm-array.sh LIST OUTDIR}
task=${SLURM_ARRAY_TASK_ID:?not a Slurm array task (SLURM_ARRAY_TASK_ID is unset)}
input=$(sed -n "${task}p" "$list")
if [ -z "$input" ]; then
  echo "slurm-array.sh: $list has no line $task" >&2
  exit 2
fi
exec "${FIGTRACE:-figtrace}" -o "$outdir/" -- "$input"
