"""tools/bench/sketches/common.py - helpers shared by the sketch and colour benchmarks.

Counting path segments and subpaths in SVG path data, rendering SVGs with
rsvg-convert, timing commands, and running VTracer (@neplex/vectorizer)
through vtrace.js on a batch of images.
"""
import os
import re
import subprocess
import time

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
NUM = re.compile(r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?")
NARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
TOKEN = re.compile(r"[MLHVCSQTAZmlhvcsqtaz]|" + NUM.pattern)


def path_stats(svg_path):
    """(segments, subpaths) over every d="..." of an SVG file.

    A segment is one drawing command's worth of numbers (a line, a cubic,
    an arc ...); extra coordinate pairs after a moveto are lines; a closing
    Z is not counted.  Arc flags written without separators are not handled
    (none of the tools here writes arcs)."""
    text = open(svg_path, encoding="utf-8", errors="replace").read()
    segs = subs = 0
    for d in re.findall(r'\sd="([^"]*)"', text):
        cmd, nargs = None, 0
        for tok in TOKEN.findall(d):
            if tok.isalpha():
                cmd = tok.upper()
                nargs = 0
                if cmd == "M":
                    subs += 1
                continue
            if cmd is None or cmd == "Z":
                continue
            nargs += 1
            k = NARGS[cmd]
            if nargs % k == 0:
                if cmd == "M":
                    if nargs > 2:
                        segs += 1
                else:
                    segs += 1
    return segs, subs


def run(cmd, **kw):
    """Run cmd, raise with its stderr on failure; returns wall seconds."""
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=kw.get("stdout", subprocess.DEVNULL),
                       stderr=subprocess.PIPE, input=kw.get("input"))
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s" % (cmd[0], r.stderr.decode(errors="replace")[:300]))
    return dt


def render(svg, png, w, h):
    """Rasterise svg at w x h onto white."""
    run(["rsvg-convert", "-w", str(w), "-h", str(h), "-b", "white", "-o", png, svg])


def load_rgb(png):
    return np.asarray(Image.open(png).convert("RGB"), dtype=np.float64)


def load_gray(png):
    return np.asarray(Image.open(png).convert("L"), dtype=np.float64) / 255.0


def vtracer(work, jobs, config):
    """Run VTracer on [(in_png, out_svg)] with config ("bw", "color" or
    "poster"); returns {out_svg: seconds inside the library}."""
    lst = os.path.join(work, "vtrace-%s.txt" % config)
    with open(lst, "w") as f:
        for a, b in jobs:
            f.write("%s %s\n" % (a, b))
    env = dict(os.environ, FT_BENCH_WORK=work)
    out = subprocess.run(["node", os.path.join(HERE, "vtrace.js"), config, lst], env=env,
                         check=True, stdout=subprocess.PIPE).stdout.decode()
    times = {}
    for line in out.splitlines():
        name, sec = line.rsplit(" ", 1)
        times[name] = float(sec)
    return times


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")
