#!/bin/bash
# tools/bench/icons/overhead.sh - per-image cost of the figtrace program on
# six 512 px bootstrap icons, against potrace, optionally against a second
# build of figtrace (an older tree) in the same run.
#
#   tools/bench/icons/overhead.sh [RUNS [OTHER_TREE]]
#
# Renders alarm-fill, bicycle, house-fill, star, chat-dots and puzzle-fill
# black on white at 512 px (rsvg-convert, as bench.py does) into
# tools/bench/work/six/, then for each program prints the mean CPU time per
# run (perf stat -e task-clock, RUNS runs per icon, three interleaved
# rounds) of `figtrace --version`, `figtrace --no-fit` and `figtrace`
# (--threshold 0.5, --invert on the three mostly-black icons), potrace -s on
# the 50% PBM, the page faults of the default conversion and of potrace
# (perf stat -e page-faults, the same runs), and the instructions of all six
# conversions (callgrind).  FT_BENCH_WORK names the work folder (default
# tools/bench/work; the icons always come from tools/bench/work).
# Needs perf, valgrind, potrace, rsvg-convert, /usr/bin/python3 with PIL, and
# bootstrap-icons in tools/bench/work/node_modules (tools/bench/icons/run
# installs it).  Every figtrace runs as its real binary (.libs/figtrace with
# LD_LIBRARY_PATH), never libtool's wrapper script.
set -euo pipefail
cd "$(dirname "$0")/../../.."
top=$PWD
runs=${1:-20}
other=${2:-}
six=${FT_BENCH_WORK:-$top/tools/bench/work}/six
icons="alarm-fill bicycle house-fill star chat-dots puzzle-fill"
mkdir -p "$six"
for i in $icons; do
  if [ ! -f "$six/$i.pgm" ]; then
    rsvg-convert -w 512 -h 512 -b white -o "$six/$i.png" \
      "$top/tools/bench/work/node_modules/bootstrap-icons/icons/$i.svg"
    /usr/bin/python3 - "$six/$i" <<'PY'
import sys
import numpy as np
from PIL import Image
base = sys.argv[1]
gray = Image.open(base + ".png").convert("L")
gray.save(base + ".pgm")
Image.fromarray(((np.asarray(gray) >= 128) * 255).astype(np.uint8)).convert("1").save(base + ".pbm")
PY
  fi
done
make -s figtrace
trees="new=$top"
[ -n "$other" ] && trees="old=$(cd "$other" && pwd) $trees"

inv() { case $1 in alarm-fill|house-fill|puzzle-fill) echo --invert;; esac; }
cpu() { # mean task-clock ms of one command over RUNS runs
  perf stat -x, -e task-clock -r "$runs" "$@" 2>&1 >/dev/null | tail -1 | cut -d, -f1
}
cpf() { # cpf KEY CMD...: task-clock ms (in ms) and page faults (added to pf[KEY]), means of RUNS runs
  local key=$1 out
  shift
  out=$(perf stat -x, -e task-clock,page-faults -r "$runs" "$@" 2>&1 >/dev/null | tail -2)
  ms=$(echo "$out" | head -1 | cut -d, -f1)
  pf[$key]=$(echo "${pf[$key]:-0} + $(echo "$out" | tail -1 | cut -d, -f1)" | bc -l)
}
declare -A sum pf
for round in 1 2 3; do
  for i in $icons; do
    for t in $trees; do
      name=${t%%=*} dir=${t#*=}
      export LD_LIBRARY_PATH=$dir/.libs
      ft=$dir/.libs/figtrace
      sum[$name-version]=$(echo "${sum[$name-version]:-0} + $(cpu "$ft" --version)" | bc -l)
      sum[$name-nofit]=$(echo "${sum[$name-nofit]:-0} + $(cpu "$ft" --no-fit --threshold 0.5 $(inv $i) -o "$six/out.svg" "$six/$i.pgm")" | bc -l)
      cpf "$name" "$ft" --threshold 0.5 $(inv $i) -o "$six/out.svg" "$six/$i.pgm"
      sum[$name-default]=$(echo "${sum[$name-default]:-0} + $ms" | bc -l)
      unset LD_LIBRARY_PATH
    done
    cpf potrace potrace -s -o "$six/out.svg" "$six/$i.pbm"
    sum[potrace]=$(echo "${sum[potrace]:-0} + $ms" | bc -l)
  done
done
instr() { # total callgrind instructions of a command over the six icons
  local tot=0 n i
  for i in $icons; do
    n=$("$@" "$i" 2>&1 | awk '/Collected/ {print $4}')
    tot=$((tot + n))
  done
  echo "$tot"
}
ft_instr() { # ft_instr DIR [ARGS] ICON
  local dir=$1 icon=${*: -1}
  LD_LIBRARY_PATH=$dir/.libs valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$dir/.libs/figtrace" --threshold 0.5 $(inv "$icon") "${@:2:$#-2}" -o "$six/out.svg" "$six/$icon.pgm"
}
po_instr() { valgrind --tool=callgrind --callgrind-out-file=/dev/null potrace -s -o "$six/out.svg" "$six/$1.pbm"; }

echo "CPU ms per run and page faults of the default (means over 6 icons x 3 rounds x $runs runs); instructions for all six"
printf '| %-8s | %10s | %10s | %10s | %8s | %14s | %14s |\n' program --version --no-fit default faults "instr default" "instr --no-fit"
for t in $trees; do
  name=${t%%=*} dir=${t#*=}
  printf '| %-8s | %10.2f | %10.2f | %10.2f | %8.0f | %14s | %14s |\n' "$name" \
    "$(echo "${sum[$name-version]} / 18" | bc -l)" "$(echo "${sum[$name-nofit]} / 18" | bc -l)" \
    "$(echo "${sum[$name-default]} / 18" | bc -l)" "$(echo "${pf[$name]} / 18" | bc -l)" "$(instr ft_instr "$dir")" \
    "$(instr ft_instr "$dir" --no-fit)"
done
printf '| %-8s | %10s | %10s | %10.2f | %8.0f | %14s | %14s |\n' potrace - - \
  "$(echo "${sum[potrace]} / 18" | bc -l)" "$(echo "${pf[potrace]} / 18" | bc -l)" "$(instr po_instr)" -

# Batch: the six PBMs ten times over (60 files) converted by ONE process of
# each program, as a folder is converted: `figtrace -j 1 -o DIR FILES` and
# `potrace -s FILES`; process start-up is then paid once, and the CPU time
# per image is the conversion's own.  Three interleaved rounds of
# perf stat -r RUNS/4 (at least 3).
batch=$six/batch
rm -rf "$batch"
mkdir -p "$batch/in" "$batch/ft" "$batch/po"
for k in 1 2 3 4 5 6 7 8 9 10; do
  for i in $icons; do cp "$six/$i.pbm" "$batch/in/$i-$k.pbm"; done
done
brun=$((runs / 4 < 3 ? 3 : runs / 4))
declare -A bsum
for round in 1 2 3; do
  for t in $trees; do
    name=${t%%=*} dir=${t#*=}
    bsum[$name]=$(echo "${bsum[$name]:-0} + $(LD_LIBRARY_PATH=$dir/.libs perf stat -x, -e task-clock \
      -r "$brun" "$dir/.libs/figtrace" -j 1 -o "$batch/ft/" "$batch"/in/*.pbm 2>&1 >/dev/null |
      tail -1 | cut -d, -f1)" | bc -l)
  done
  bsum[potrace]=$(echo "${bsum[potrace]:-0} + $(cd "$batch/in" && perf stat -x, -e task-clock \
    -r "$brun" potrace -s *.pbm 2>&1 >/dev/null | tail -1 | cut -d, -f1)" | bc -l)
  mv "$batch"/in/*.svg "$batch/po/"
done
echo
echo "Batch of 60 PBMs (six icons x 10) in one process: CPU ms per image (3 rounds x $brun runs)"
printf '| %-8s | %10s | %8s |\n' program "ms/image" ratio
for t in $trees potrace=; do
  name=${t%%=*}
  printf '| %-8s | %10.2f | %8.2f |\n' "$name" "$(echo "${bsum[$name]} / 180" | bc -l)" \
    "$(echo "${bsum[$name]} / ${bsum[potrace]}" | bc -l)"
done
