"""tools/bench/icons/bench.py - figtrace vs potrace vs VTracer on rendered icons.

Renders icons from bootstrap-icons and @tabler/icons (filled) black on white
with rsvg-convert, traces each rendering with figtrace (the CLI: `figtrace --threshold 0.5
-o OUT.svg IN.pgm`, i.e. threshold 50%, trace, fit), potrace (-s on the image thresholded at
50% as PBM) and VTracer (@neplex/vectorizer, preset Bw: binary, splines),
renders every SVG back at the same size and reports per tool: IoU of the ink
with the input's ink (both thresholded at 50%), segments in the path data,
file bytes, wall time and CPU time (user + system of the process; on a
shared machine the steadier of the two), plus the source icon's own segment
count.  figtrace and potrace run FT_BENCH_REPS times each (default 3),
alternately, and each icon's times are the medians of its runs; the table
also gives the ratio of the mean CPU times to potrace's.  VTracer's times
are both its wall time inside one node process.

Run through tools/bench/icons/run, which prepares the work folder.
"""
import os
import re
import resource
import subprocess
import sys
import time

import numpy as np
from PIL import Image

WORK = os.environ["FT_BENCH_WORK"]
HERE = os.path.dirname(os.path.abspath(__file__))
PER_SET = int(os.environ.get("FT_BENCH_PER_SET", "100"))
SIZES = [int(s) for s in os.environ.get("FT_BENCH_SIZES", "256 512 1024").split()]
FTARGS = os.environ.get("FT_BENCH_FTARGS", "").split()
REPS = max(1, int(os.environ.get("FT_BENCH_REPS", "3")))
SETS = [
    ("bootstrap", os.path.join(WORK, "node_modules/bootstrap-icons/icons")),
    ("tabler", os.path.join(WORK, "node_modules/@tabler/icons/icons/filled")),
]
TOOLS = ["figtrace", "potrace", "vtracer"]

# ---- path data: segments --------------------------------------------------

NUM = re.compile(r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?")
NARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}


def parse_args(s, pos, cmd):
    """Numbers after a command letter; arc flags may be written without separators."""
    out = []
    n = len(s)
    while True:
        while pos < n and (s[pos] in " \t\r\n,"):
            pos += 1
        if pos >= n or s[pos].isalpha():
            return out, pos
        if cmd == "A" and len(out) % 7 in (3, 4):
            out.append(float(s[pos]))
            pos += 1
            continue
        m = NUM.match(s, pos)
        if not m:
            return out, pos + 1
        out.append(float(m.group()))
        pos = m.end()


def count_segments(d):
    """Drawing segments in one path data string; a closing Z counts when it draws a line."""
    segs = 0
    pos = 0
    cx = cy = sx = sy = 0.0
    n = len(d)
    while pos < n:
        c = d[pos]
        if not c.isalpha():
            pos += 1
            continue
        pos += 1
        up = c.upper()
        rel = c != up
        args, pos = parse_args(d, pos, up)
        if up == "Z":
            if abs(cx - sx) > 1e-3 or abs(cy - sy) > 1e-3:
                segs += 1
            cx, cy = sx, sy
            continue
        k = NARGS.get(up, 0)
        if k == 0:
            continue
        for i in range(0, len(args) - k + 1, k):
            a = args[i:i + k]
            if up == "M":
                x, y = (cx + a[0], cy + a[1]) if rel else (a[0], a[1])
                if i == 0:
                    sx, sy = x, y
                else:
                    segs += 1
                cx, cy = x, y
                continue
            segs += 1
            if up == "H":
                cx = cx + a[0] if rel else a[0]
            elif up == "V":
                cy = cy + a[0] if rel else a[0]
            else:
                x, y = a[-2], a[-1]
                cx, cy = (cx + x, cy + y) if rel else (x, y)
    return segs


def svg_segments(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    return sum(count_segments(d) for d in re.findall(r'\sd="([^"]*)"', text))


# ---- images ---------------------------------------------------------------

def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=kw.get("stdout", subprocess.DEVNULL),
                   stderr=subprocess.PIPE)


def render(svg, png, size):
    run(["rsvg-convert", "-w", str(size), "-h", str(size), "-b", "white", "-o", png, svg])


def ink(png, size):
    im = Image.open(png).convert("L")
    if im.size != (size, size):
        im = im.resize((size, size))
    return np.asarray(im) < 128


def child_cpu():
    """CPU seconds (user + system) used so far by finished child processes."""
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def iou(a, b):
    u = np.logical_or(a, b).sum()
    return 1.0 if u == 0 else float(np.logical_and(a, b).sum()) / float(u)


def pick(folder):
    names = sorted(f for f in os.listdir(folder) if f.endswith(".svg"))
    step = max(1, len(names) // PER_SET)
    return names[::step][:PER_SET]


def main():
    figtrace = os.environ["FT_BENCH_FIGTRACE"]
    out = os.path.join(WORK, "out")
    os.makedirs(out, exist_ok=True)
    rows = []  # (set, size, icon, src_segs, {tool: (iou, segs, bytes, secs, cpu secs)})
    jobs = []
    for sname, folder in SETS:
        for icon in pick(folder):
            src = os.path.join(folder, icon)
            src_segs = svg_segments(src)
            for size in SIZES:
                base = os.path.join(out, "%s-%s-%d" % (sname, icon[:-4], size))
                render(src, base + ".png", size)
                gray = Image.open(base + ".png").convert("L")
                gray.save(base + ".pgm")
                Image.fromarray(((np.asarray(gray) >= 128) * 255).astype(np.uint8)).convert(
                    "1").save(base + ".pbm")
                jobs.append((sname, size, icon, src_segs, base))
    # VTracer in one node process (its time excludes node's start-up)
    lst = os.path.join(out, "vtracer.list")
    with open(lst, "w") as f:
        for j in jobs:
            f.write("%s.png %s.vt.svg\n" % (j[4], j[4]))
    vt_time = {}
    res = subprocess.run(["node", os.path.join(HERE, "vtrace.js"), lst], check=True,
                         capture_output=True, text=True, env=dict(os.environ))
    for line in res.stdout.split("\n"):
        if line.strip():
            p, t = line.rsplit(" ", 1)
            vt_time[p] = float(t)
    for sname, size, icon, src_segs, base in jobs:
        truth = ink(base + ".png", size)
        # the CLI takes the minority side as ink; icons are dark ink, which
        # covers more than half of some renderings: --invert says so there
        inv = ["--invert"] if 2 * int(truth.sum()) > truth.size else []
        cmds = {"figtrace": [figtrace, "--threshold", "0.5"] + inv + FTARGS +
                ["-o", base + ".ft.svg", base + ".pgm"],
                "potrace": ["potrace", "-s", "-o", base + ".po.svg", base + ".pbm"]}
        times = {t: ([], []) for t in cmds}
        for _ in range(REPS):
            for tool, cmd in cmds.items():
                t0, c0 = time.perf_counter(), child_cpu()
                run(cmd)
                times[tool][0].append(time.perf_counter() - t0)
                times[tool][1].append(child_cpu() - c0)
        r = {t: float(np.median(w)) for t, (w, _) in times.items()}
        cpu = {t: float(np.median(c)) for t, (_, c) in times.items()}
        r["vtracer"] = cpu["vtracer"] = vt_time[base + ".vt.svg"]
        stats = {}
        for tool, ext in (("figtrace", "ft"), ("potrace", "po"), ("vtracer", "vt")):
            svg = "%s.%s.svg" % (base, ext)
            render(svg, svg + ".png", size)
            stats[tool] = (iou(truth, ink(svg + ".png", size)), svg_segments(svg),
                           os.path.getsize(svg), r[tool], cpu[tool])
        rows.append((sname, size, icon, src_segs, stats))
    report(rows)


def report(rows):
    def mean(xs):
        return sum(xs) / len(xs) if xs else float("nan")

    groups = [("%s %d" % (s, z), [r for r in rows if r[0] == s and r[1] == z])
              for s, _ in SETS for z in SIZES]
    groups.append(("all", rows))
    print("| set size | n | source segs | tool | mean IoU | min IoU | mean segs | segs / potrace |"
          " mean bytes | mean time ms | mean cpu ms | cpu / potrace |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, g in groups:
        if not g:
            continue
        po = mean([r[4]["potrace"][1] for r in g])
        po_cpu = mean([r[4]["potrace"][4] for r in g])
        for tool in TOOLS:
            ious = [r[4][tool][0] for r in g]
            segs = mean([r[4][tool][1] for r in g])
            tcpu = mean([r[4][tool][4] for r in g])
            print("| %s | %d | %.1f | %s | %.4f | %.4f | %.1f | %.2f | %.0f | %.1f | %.1f | %.2f |" % (
                name, len(g), mean([r[3] for r in g]), tool, mean(ious), min(ious), segs,
                segs / po if po else float("nan"), mean([r[4][tool][2] for r in g]),
                1000 * mean([r[4][tool][3] for r in g]), 1000 * tcpu,
                tcpu / po_cpu if po_cpu else float("nan")))
    worst = sorted(rows, key=lambda r: r[4]["figtrace"][0] - r[4]["potrace"][0])[:5]
    print()
    below = sum(1 for r in rows if r[4]["figtrace"][0] < r[4]["potrace"][0])
    print("figtrace IoU below potrace's on %d of %d images; furthest below:" % (below, len(rows)))
    for r in worst:
        print("  %s %s %d: figtrace %.4f potrace %.4f" % (r[0], r[2], r[1], r[4]["figtrace"][0],
                                                         r[4]["potrace"][0]))


if __name__ == "__main__":
    sys.exit(main())
