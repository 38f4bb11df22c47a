#!/bin/bash
# tools/bench/icons/page.sh - the page case of the icon benchmark: one large
# page of many icons, figtrace against potrace, wall time and peak memory.
#
#   FT_BENCH_FIGTRACE=path/to/figtrace FT_BENCH_WORK=tools/bench/work tools/bench/icons/page.sh
#
# Normally run by tools/bench/icons/run.  Builds (once) an S x S page
# (FT_BENCH_PAGE_SIZE, default 8192) by tiling icons rendered at 512 px
# (bootstrap-icons and @tabler/icons filled, alternating, in name order) into
# $FT_BENCH_WORK/page/ as PGM, PNG and PBM (thresholded at 50%), then times
#   figtrace --threshold 0.5 -o page.ft.svg page.pbm    (and page.png)
#   potrace -s -o page.po.svg page.pbm
# in FT_BENCH_RUNS rounds (default 5, after a warm-up round), each command
# once per round, so that a shared machine's slow and fast spells fall on
# all three alike (median wall time of each, and the median of the per-round
# figtrace/potrace ratios), and takes each one's peak resident memory and CPU time (user + system, so
# threads add up) from one run under /usr/bin/time -v.  Prints a
# markdown table; also the segments of both SVGs and the IoU of their
# renderings with the page's ink (rsvg-convert at full size, 50%).
# Needs potrace, rsvg-convert, GNU time, /usr/bin/python3 (numpy, PIL).
set -euo pipefail
work=${FT_BENCH_WORK:?}
ft=${FT_BENCH_FIGTRACE:?}
size=${FT_BENCH_PAGE_SIZE:-8192}
runs=${FT_BENCH_RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
page=$work/page
mkdir -p "$page"
if [ ! -f "$page/page-$size.pbm" ]; then
  FT_BENCH_WORK=$work FT_PAGE_SIZE=$size FT_PAGE_DIR=$page /usr/bin/python3 - <<'EOF'
import os, subprocess, tempfile
import numpy as np
from PIL import Image
work, size, out = os.environ["FT_BENCH_WORK"], int(os.environ["FT_PAGE_SIZE"]), os.environ["FT_PAGE_DIR"]
tile = 512
sets = [os.path.join(work, "node_modules/bootstrap-icons/icons"),
        os.path.join(work, "node_modules/@tabler/icons/icons/filled")]
names = [sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".svg")) for d in sets]
n = size // tile
page = np.full((size, size), 255, np.uint8)
with tempfile.TemporaryDirectory() as tmp:
    png = os.path.join(tmp, "t.png")
    for k in range(n * n):
        lst = names[k % 2]
        src = lst[(k // 2 * 7) % len(lst)]
        subprocess.run(["rsvg-convert", "-w", str(tile), "-h", str(tile), "-b", "white", "-o", png, src],
                       check=True)
        y, x = divmod(k, n)
        page[y * tile:(y + 1) * tile, x * tile:(x + 1) * tile] = np.asarray(Image.open(png).convert("L"))
im = Image.fromarray(page)
im.save(os.path.join(out, "page-%d.pgm" % size))
im.save(os.path.join(out, "page-%d.png" % size))
Image.fromarray(((page >= 128) * 255).astype(np.uint8)).convert("1").save(
    os.path.join(out, "page-%d.pbm" % size))
EOF
fi
cd "$page"
base=page-$size
# the CLI takes the minority side as ink: --invert where dark ink is the majority
inv=$(/usr/bin/python3 -c "
import numpy as np; from PIL import Image
a = np.asarray(Image.open('$base.pgm')) < 128
print('--invert' if 2 * int(a.sum()) > a.size else '')")
stats() { # "peak RSS MiB | CPU s" (user + system) of one run of the command
  /usr/bin/time -v "$@" 2>&1 >/dev/null |
    awk '/User time/{u=$4} /System time/{s=$4} /Maximum resident/{m=$6}
         END{printf "%.0f | %.3f", m / 1024, u + s}'
}
declare -A cmd=(
  [figtrace-pbm]="$ft --threshold 0.5 $inv -o $base.ft.svg $base.pbm"
  [figtrace-png]="$ft --threshold 0.5 $inv -o $base.ftpng.svg $base.png"
  [potrace-pbm]="potrace -s -o $base.po.svg $base.pbm"
)
# Timed in rounds, one run of each command per round (after one warm-up
# round), so that the shared machine's slow and fast spells fall on all of
# them alike; wall seconds of each run from date(1), median per command.
order="figtrace-pbm figtrace-png potrace-pbm"
declare -A walls=()
for r in $(seq 0 "$runs"); do
  for k in $order; do
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    ${cmd[$k]} >/dev/null 2>&1
    t1=$(date +%s.%N)
    [ "$r" -gt 0 ] && walls[$k]="${walls[$k]:-} $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')"
  done
done
median_of() { # numbers -> their median, 3 decimals
  printf '%s\n' $1 | sort -g | awk '{a[NR] = $1} END {m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m}'
}
echo "| page ${size}x${size} | median wall s ($runs rounds) | peak RSS MiB | CPU s (user+sys, 1 run) |"
echo "|---|---|---|---|"
for k in $order; do
  # shellcheck disable=SC2086
  echo "| $k | $(median_of "${walls[$k]}") | $(stats ${cmd[$k]}) |"
done
echo "figtrace-pbm / potrace-pbm wall, median of per-round ratios: $(paste <(printf '%s\n' ${walls[figtrace-pbm]}) <(printf '%s\n' ${walls[potrace-pbm]}) | awk '{print $1 / $2}' | sort -g | awk '{a[NR] = $1} END {m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f", m}')"
FT_HERE=$here FT_SIZE=$size FT_BASE=$base /usr/bin/python3 - <<'EOF'
import os, subprocess, sys
import numpy as np
from PIL import Image
sys.path.insert(0, os.environ["FT_HERE"])
from bench import svg_segments  # noqa: E402
size, base = int(os.environ["FT_SIZE"]), os.environ["FT_BASE"]
Image.MAX_IMAGE_PIXELS = None
truth = np.asarray(Image.open(base + ".pgm")) < 128
for tool, svg in (("figtrace", base + ".ft.svg"), ("potrace", base + ".po.svg")):
    subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size), "-b", "white", "-o",
                    svg + ".png", svg], check=True)
    got = np.asarray(Image.open(svg + ".png").convert("L")) < 128
    u = np.logical_or(got, truth).sum()
    print("%s: IoU %.4f, %d segments" % (tool, np.logical_and(got, truth).sum() / max(u, 1),
                                         svg_segments(svg)))
EOF
