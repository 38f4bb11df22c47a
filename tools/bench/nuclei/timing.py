#!/usr/bin/python3
"""Time figtrace -p microscopy on a 2048 x 2048 16-bit fluorescence image.

    /usr/bin/python3 tools/bench/nuclei/timing.py [--reps N] [--threads T]

The image is a mosaic of the fluorescence images of the validation split
(tools/train/split.csv) of ../shared/data/nuclei-dsb2018 at their native
scale, in sorted order, each placed whole in rows until 2048 x 2048 is
covered (the last ones cropped), stored as 12-bit data in a 16-bit TIFF
(gray x 16 + an offset of 200, as a camera's dark level), written to
tools/bench/work/nuclei-2048.tif.  The program (built in the tree) converts
it N times with -p microscopy (the shipped nuclei model, object-size
estimate and refinement, instances, outlines, fit, SVG); the script reports
wall and CPU seconds (the child's user + system) per run, best and median,
and the number of nucleus paths written.
"""
import argparse
import os
import resource
import subprocess
import sys
import time

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools", "train"))
import data  # noqa: E402

SIZE = 2048


def mosaic(path):
    rows = [r for r in data.read_split() if r["split"] == "val" and r["modality"] == "fluorescence"]
    rows.sort(key=lambda r: r["id"])
    out = np.zeros((SIZE, SIZE), np.float32)
    x = y = rowh = 0
    used = 0
    while y < SIZE:
        for r in rows:
            g = data.load_image(r["id"])
            h, w = g.shape
            if x + w > SIZE and x > 0:
                x, y, rowh = 0, y + rowh, 0
            if y >= SIZE:
                break
            hh, ww = min(h, SIZE - y), min(w, SIZE - x)
            out[y:y + hh, x:x + ww] = g[:hh, :ww]
            x += w
            rowh = max(rowh, h)
            used += 1
    img = np.clip(np.rint(out * 4095.0) + 200, 0, 65535).astype(np.uint16)
    Image.fromarray(img).save(path)
    return used


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="figtrace -j for one file (0: its default)")
    args = ap.parse_args()
    work = os.path.join(ROOT, "tools", "bench", "work")
    os.makedirs(work, exist_ok=True)
    tif = os.path.join(work, "nuclei-2048.tif")
    n = mosaic(tif)
    svg = os.path.join(work, "nuclei-2048.svg")
    cmd = [os.path.join(ROOT, "figtrace"), "-p", "microscopy", "-o", svg, tif]
    walls, cpus = [], []
    for _ in range(args.reps):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    paths = open(svg).read().count('<path id="nucleus-')
    print("2048x2048 16-bit mosaic of %d fluorescence validation image placements; figtrace %s"
          % (n, " ".join(cmd[1:3])))
    print("wall s: best %.2f, median %.2f; CPU s: best %.2f, median %.2f; %d nucleus paths; load %s"
          % (min(walls), float(np.median(walls)), min(cpus), float(np.median(cpus)), paths,
             " ".join("%.1f" % v for v in os.getloadavg())))


if __name__ == "__main__":
    main()
