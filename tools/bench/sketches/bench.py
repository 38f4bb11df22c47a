"""tools/bench/sketches/bench.py - pencil-sketch photos: figtrace vs potrace vs VTracer.

Renders outline icons from @tabler/icons at SIZE px with thin strokes (the
icon's stroke-width 2 of 24 replaced by 0.2 .. 0.3, i.e. 9 .. 13 px at
1024), takes the clean rendering's ink (coverage >= 0.5) as ground truth,
turns the rendering into a pencil photo (degrade.py; JPEG quality 75 .. 90),
traces the photo with each tool, renders every SVG back at SIZE and reports
per tool the IoU of its ink (luminance <= 0.5) with the clean ink, segments
in the path data, bytes and wall time:
  figtrace  figtrace -p sketch (the preset: the ink U-Net models/sketch.
            safetensors when it is found, as it is from the build tree;
            stroked centre lines)
  figtrace-outline  the same traced as filled outlines (--trace outline)
  figtrace-classical  the preset's classical chain (--segment threshold:
            gray, flatten, median, local midpoint threshold, min-area),
            centre lines
  figtrace-classical-outline  the classical chain as outlines
  mkbitmap  mkbitmap MKBITMAP_ARGS (high-pass, scale, threshold) + potrace -s
  otsu      Otsu's threshold (skimage) + potrace -s
  vtracer   @neplex/vectorizer, preset Bw
Run through tools/bench/sketches/run, which prepares the work folder.
"""
import os
import re
import sys
import time

import numpy as np
from PIL import Image
from skimage.filters import threshold_otsu

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import degrade  # noqa: E402

WORK = os.environ["FT_BENCH_WORK"]
TOP = os.environ["FT_BENCH_TOP"]
N = int(os.environ.get("FT_BENCH_N", "40"))
SIZE = int(os.environ.get("FT_BENCH_SIZE", "1024"))
FIGTRACE = os.path.join(TOP, "figtrace")
FTARGS = os.environ.get("FT_BENCH_FTARGS", "-p sketch").split()
MKBITMAP = os.environ.get("FT_BENCH_MKBITMAP", "-f 12 -s 2 -t 0.46").split()
OUTLINE = os.environ.get("FT_BENCH_OUTLINE", "-p sketch --trace outline").split()
CLASSICAL = os.environ.get("FT_BENCH_CLASSICAL", "-p sketch --segment threshold").split()
CLASSICAL_OUTLINE = os.environ.get("FT_BENCH_CLASSICAL_OUTLINE",
                                   "-p sketch --segment threshold --trace outline").split()
TOOLS = os.environ.get("FT_BENCH_TOOLS",
                       "figtrace figtrace-outline figtrace-classical figtrace-classical-outline "
                       "mkbitmap otsu vtracer").split()
ICONS = os.path.join(WORK, "node_modules/@tabler/icons/icons/outline")


def make_inputs(out):
    names = sorted(f for f in os.listdir(ICONS) if f.endswith(".svg"))
    step = max(1, len(names) // N)
    picked = names[::step][:N]
    cases = []
    for i, name in enumerate(picked):
        rng = np.random.default_rng(1000 + i)
        stem = name[:-4]
        svg = open(os.path.join(ICONS, name)).read()
        sw = rng.uniform(0.2, 0.3)
        svg = re.sub(r'stroke-width="2"', 'stroke-width="%.3f"' % sw, svg, count=1)
        svg = svg.replace("currentColor", "#000")
        src = os.path.join(out, stem + ".src.svg")
        open(src, "w").write(svg)
        clean = os.path.join(out, stem + ".clean.png")
        common.render(src, clean, SIZE, SIZE)
        cover = 1.0 - common.load_gray(clean)
        photo = degrade.pencil_photo(cover, rng)
        jpg = os.path.join(out, stem + ".jpg")
        Image.fromarray(photo, "RGB").save(jpg, quality=int(rng.integers(75, 91)))
        cases.append((stem, jpg, cover >= 0.5))
    return cases


def score(svg, truth, tag):
    png = svg + ".png"
    common.render(svg, png, SIZE, SIZE)
    ink = common.load_gray(png) <= 0.5
    inter = np.logical_and(ink, truth).sum()
    union = np.logical_or(ink, truth).sum()
    segs, _ = common.path_stats(svg)
    return {"iou": inter / union if union else 1.0, "segs": segs, "bytes": os.path.getsize(svg)}


def main():
    out = os.path.join(WORK, "sketches")
    os.makedirs(out, exist_ok=True)
    cases = make_inputs(out)
    res = {t: [] for t in TOOLS}
    vt_jobs = []
    for stem, jpg, truth in cases:
        base = os.path.join(out, stem)
        for tool, args in (("figtrace", FTARGS), ("figtrace-outline", OUTLINE),
                           ("figtrace-classical", CLASSICAL),
                           ("figtrace-classical-outline", CLASSICAL_OUTLINE)):
            if tool in TOOLS:
                svg = base + "." + tool + ".svg"
                dt = common.run([FIGTRACE] + args + ["-o", svg, jpg])
                r = score(svg, truth, tool)
                r["time"] = dt
                res[tool].append((stem, r))
        gray = np.asarray(Image.open(jpg).convert("L"))
        pgm = base + ".pgm"
        Image.fromarray(gray).save(pgm)
        if "mkbitmap" in TOOLS:
            pbm, svg = base + ".mk.pbm", base + ".mkbitmap.svg"
            t0 = time.perf_counter()
            common.run(["mkbitmap"] + MKBITMAP + ["-o", pbm, pgm])
            common.run(["potrace", "-s", "-o", svg, pbm])
            dt = time.perf_counter() - t0
            r = score(svg, truth, "mkbitmap")
            r["time"] = dt
            res["mkbitmap"].append((stem, r))
        if "otsu" in TOOLS:
            pbm, svg = base + ".otsu.pbm", base + ".otsu.svg"
            t0 = time.perf_counter()
            g = np.asarray(Image.open(jpg).convert("L"))
            Image.fromarray(g > threshold_otsu(g)).save(pbm)  # PIL white (paper) is PBM 0
            common.run(["potrace", "-s", "-o", svg, pbm])
            dt = time.perf_counter() - t0
            r = score(svg, truth, "otsu")
            r["time"] = dt
            res["otsu"].append((stem, r))
        if "vtracer" in TOOLS:
            vt_jobs.append((jpg, base + ".vtracer.svg"))
    if vt_jobs:
        times = common.vtracer(WORK, vt_jobs, "bw")
        for (stem, jpg, truth), (_, svg) in zip(cases, vt_jobs):
            r = score(svg, truth, "vtracer")
            r["time"] = times[svg]
            res["vtracer"].append((stem, r))

    print("%d pencil photos of @tabler/icons outline icons, %dx%d; mkbitmap %s"
          % (len(cases), SIZE, SIZE, " ".join(MKBITMAP)))
    print()
    print("| tool | mean IoU | min IoU | IoU < 0.90 | mean segments | mean bytes | mean time s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for t in TOOLS:
        rs = [r for _, r in res[t]]
        ious = [r["iou"] for r in rs]
        print("| %s | %.4f | %.4f | %d | %.0f | %.0f | %.3f |" % (
            t, common.mean(ious), min(ious), sum(1 for v in ious if v < 0.90),
            common.mean([r["segs"] for r in rs]), common.mean([r["bytes"] for r in rs]),
            common.mean([r["time"] for r in rs])))
    if os.environ.get("FT_BENCH_DETAIL"):
        print()
        for t in TOOLS:
            worst = sorted(res[t], key=lambda sr: sr[1]["iou"])[:5]
            print("%s worst: %s" % (t, ", ".join("%s %.3f" % (s, r["iou"]) for s, r in worst)))


if __name__ == "__main__":
    main()
