#!/bin/sh
# Train the nuclei network on a lent GPU machine, which gets the checkout only.
#
#   tools/train/device_nuclei.sh prepare
#       here: copy ../shared/data/nuclei-dsb2018 into .data/ (ignored by git;
#       about 46 MB, within what travels) and print the device run to make.
#   tools/train/device_nuclei.sh train MINUTES [train.py options...]
#       there, with .data carried: train.py on the GPU for MINUTES of wall
#       time (cosine learning rate over them), the crops made by all but two
#       of the machine's cores, batches of 32, 1000 steps between
#       validations; the best val-log epoch in $OUT/nuclei.safetensors, the
#       end of the decay in $OUT/nuclei.safetensors.last, the log in
#       $OUT/nuclei.log.  Options after MINUTES go to train.py (--base N, --depth N,
#       --init FILE --start-epoch E, --small-weight W, --core, ...).
#       $PYTHON and $DEVICE, when set, replace python3 and cuda (to try the
#       script on a CPU: PYTHON=/usr/bin/python3 DEVICE=cpu).
#
# The model that comes back is measured here, on the CPU, like any other:
# tools/bench/nuclei/svg_eval.py and timing.py (see models/README.md).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
case "${1:-}" in
prepare)
    src=$top/../shared/data/nuclei-dsb2018
    [ -f "$src/index.csv" ] || { echo "device_nuclei.sh: $src: no nuclei data" >&2; exit 1; }
    mkdir -p "$top/.data"
    rm -rf "$top/.data/nuclei-dsb2018"
    cp -r "$src" "$top/.data/nuclei-dsb2018"
    echo "run: command 'tools/train/device_nuclei.sh train 8 --base 10', carry ['.data'], timeout_s 600"
    ;;
train)
    [ $# -ge 2 ] || { echo "usage: device_nuclei.sh train MINUTES [train.py options]" >&2; exit 2; }
    minutes=$2
    shift 2
    out=${OUT:-$top/.data/out}
    mkdir -p "$out"
    [ -f "$top/.data/nuclei-dsb2018/index.csv" ] || {
        echo "device_nuclei.sh: .data/nuclei-dsb2018 missing (run 'prepare' here and carry .data)" >&2
        exit 1; }
    n=$(nproc)
    workers=$((n > 4 ? n - 2 : 2))
    cd "$top"
    nvidia-smi -L 2>/dev/null || true
    FIGTRACE_NUCLEI_DATA=$top/.data/nuclei-dsb2018 PYTHONUNBUFFERED=1 \
        "${PYTHON:-python3}" tools/train/train.py --model nuclei --device "${DEVICE:-cuda}" --workers "$workers" \
        --batch 32 --steps-per-epoch 1000 --minutes "$minutes" --keep-last \
        --out "$out/nuclei.safetensors" --log "$out/nuclei.log" "$@"
    ;;
*)
    echo "usage: device_nuclei.sh prepare | train MINUTES [train.py options]" >&2
    exit 2
    ;;
esac
