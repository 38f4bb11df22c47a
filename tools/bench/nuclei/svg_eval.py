#!/usr/bin/python3
"""Score figtrace -p microscopy through its SVG, nucleus by nucleus.

    /usr/bin/python3 tools/bench/nuclei/svg_eval.py [--figtrace ./figtrace] [--minutes M]

For every validation image of tools/train/split.csv (never trained on) the
program (the tree's ./figtrace by default) converts the image file as stored
in ../shared/data/nuclei-dsb2018 with `-p microscopy -o X.svg --labels X.tif`.
The SVG is then read back independently of figtrace:

  - every <path> under <g id="nuclei"> is one predicted nucleus;
  - the paths are rendered by rsvg-convert, each filled with a colour that
    encodes its index; paths whose bounding boxes (of their control points,
    grown by 2 px) meet go to different renders, so in one render a pixel is
    covered by at most one path and its colour names it even where the
    edge is anti-aliased;
  - a pixel belongs to the path covering at least half of it (the most
    covering one where two renders both claim it).

That instance map, the --labels image and a classical baseline (Otsu +
distance-transform watershed with the label-free size estimate, from
eval.py) are matched one-to-one with the true nuclei: AP@t = TP / (TP + FP +
FN) at IoU >= t, at t = 0.5 and averaged over 0.5 .. 0.95, per image, then
averaged per modality (fluorescence, histology-he, brightfield) and over all
images.  A second table pools instead: TP, FP and FN summed over the images
of a modality, then the ratio (the way StarDist's matching_dataset reports a
data set; images with many nuclei weigh more there, images with three nuclei
and two specks less).  The program's wall time per megapixel is reported too (the whole
process: reading, the network, instances, tracing, fitting, writing).

Images are taken round-robin over the modalities; --minutes stops taking new
ones when the time is spent, and the table says how many it covers.

For choosing among candidate models without looking at the validation split,
--split train scores training images instead (--modality and --step pick, say,
every third fluorescence image), and --labels-only scores the --labels image
alone (no rendering, no baseline: a quick comparison; the SVG agrees with it
within 0.01, which the full run checks).  FIGTRACE_MODEL_PATH in the
environment names a directory holding the candidate nuclei.safetensors.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from itertools import zip_longest

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path[:0] = [os.path.join(ROOT, "tools", "train"), HERE]
import data  # noqa: E402
import eval as nuclei_eval  # noqa: E402  (eval.py beside this file: its model and size helpers)


SVG_NS = "{http://www.w3.org/2000/svg}"
TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "z": 0}


def path_points(d):
    """Absolute end and control points of an SVG path (no arcs) -> (N, 2).
    The curve lies in their convex hull, so their box bounds the path."""
    toks = TOKEN.findall(d)
    pts = []
    x = y = sx = sy = 0.0
    i = 0
    cmd = None
    while i < len(toks):
        t = toks[i]
        if t.isalpha():
            cmd = t
            i += 1
            if cmd in "Zz":
                x, y = sx, sy
                continue
        if cmd is None:
            raise ValueError("path data starts with a number")
        n = ARGS[cmd.lower()]
        v = [float(a) for a in toks[i:i + n]]
        if len(v) < n:
            raise ValueError("path data ends inside a command")
        i += n
        rel = cmd.islower()
        c = cmd.lower()
        if c == "h":
            x = x + v[0] if rel else v[0]
        elif c == "v":
            y = y + v[0] if rel else v[0]
        else:
            for k in range(0, n, 2):
                px, py = (x + v[k], y + v[k + 1]) if rel else (v[k], v[k + 1])
                pts.append((px, py))
            x, y = pts[-1]
        pts.append((x, y))
        if c == "m":
            sx, sy = x, y
            cmd = "l" if rel else "L"  # further pairs after a moveto are linetos
    return np.array(pts, float).reshape(-1, 2)


def read_nuclei(svg):
    """SVG file -> (viewBox (x, y, w, h), [path data of each nucleus])."""
    root = ET.parse(svg).getroot()
    vb = [float(v) for v in root.get("viewBox").replace(",", " ").split()]
    group = None
    for g in root.iter(SVG_NS + "g"):
        if g.get("id") == "nuclei":
            group = g
            break
    paths = [] if group is None else [p.get("d") for p in group.iter(SVG_NS + "path")]
    return vb, paths


def layers(boxes, margin=2.0):
    """Greedy assignment of boxes to layers in which no two (grown) boxes meet."""
    out = []
    for i, b in enumerate(boxes):
        g = (b[0] - margin, b[1] - margin, b[2] + margin, b[3] + margin)
        for lay in out:
            if all(g[0] > o[2] or g[2] < o[0] or g[1] > o[3] or g[3] < o[1]
                   for o in (boxes[j] for j in lay)):
                lay.append(i)
                break
        else:
            out.append([i])
    return out


def colour(i):
    return "#%02x%02x%02x" % (((i >> 8) & 15) * 16 + 8, ((i >> 4) & 15) * 16 + 8,
                              (i & 15) * 16 + 8)


def render_instances(vb, paths, w, h, tmp):
    """The SVG's nuclei as an int32 instance map of w x h (see the header)."""
    if len(paths) > 4095:
        raise ValueError("more than 4095 nuclei")
    boxes = []
    for d in paths:
        p = path_points(d)
        boxes.append((p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()))
    inst = np.zeros((h, w), np.int32)
    best = np.zeros((h, w), np.int32)
    for li, lay in enumerate(layers(boxes)):
        svg = os.path.join(tmp, "layer.svg")
        png = os.path.join(tmp, "layer.png")
        with open(svg, "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
                    'viewBox="%g %g %g %g">\n' % (w, h, *vb))
            for i in lay:
                f.write('<path fill="%s" d="%s"/>\n' % (colour(i + 1), paths[i]))
            f.write("</svg>\n")
        subprocess.run(["rsvg-convert", "-w", str(w), "-h", str(h), "-o", png, svg], check=True)
        a = np.asarray(Image.open(png).convert("RGBA")).astype(np.int32)
        alpha = a[..., 3]
        idx = (a[..., 0] // 16) * 256 + (a[..., 1] // 16) * 16 + a[..., 2] // 16
        take = (alpha >= 128) & (alpha > best)
        inst[take] = idx[take]
        best[take] = alpha[take]
    return inst


def convert(prog, img, tmp, extra=()):
    svg = os.path.join(tmp, "out.svg")
    tif = os.path.join(tmp, "out.tif")
    t0 = time.time()
    r = subprocess.run([prog, "-p", "microscopy", *extra, img, "-o", svg, "--labels", tif],
                       capture_output=True, text=True)
    secs = time.time() - t0
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (img, r.stderr.strip()))
    return svg, tif, secs


def per_image(res):
    """method -> modality -> per-image ap_counts() arrays, each turned into
    that image's AP vector (what eval.summarize averages unpooled)."""
    return {meth: {mod: [data.ap_from_counts(c) for c in v] for mod, v in bymod.items()}
            for meth, bymod in res.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--figtrace", default=os.path.join(ROOT, "figtrace"))
    ap.add_argument("--minutes", type=float, default=0,
                    help="stop taking new images after this much wall time (0: all)")
    ap.add_argument("--limit", type=int, default=0, help="first N images (debug)")
    ap.add_argument("--known-size", action="store_true",
                    help="give figtrace each image's labelled median nucleus diameter "
                         "(--segment=unet:nuclei,diameter=D): the score without the size estimate")
    ap.add_argument("--split", default="val", choices=("val", "train"),
                    help="the images scored (train: for choosing among models; report val)")
    ap.add_argument("--modality", action="append", choices=data.MODALITIES,
                    help="only this modality (repeatable; default all)")
    ap.add_argument("--step", type=int, default=1,
                    help="every STEP-th image of each modality, in split order")
    ap.add_argument("--arg", action="append", default=[], metavar="ARG",
                    help="pass ARG to figtrace after -p microscopy (repeatable), e.g. "
                         "--arg=--segment=unet:nuclei,min-peak=0.9")
    ap.add_argument("--labels-only", action="store_true",
                    help="score figtrace's --labels image only (no SVG rendering, no baseline)")
    args = ap.parse_args()
    rows = [r for r in data.read_split() if r["split"] == args.split]
    mods = args.modality or data.MODALITIES
    bymod = [[r for r in rows if r["modality"] == m][::max(args.step, 1)] for m in mods]
    rows = [r for grp in zip_longest(*bymod) for r in grp if r is not None]
    if args.limit:
        rows = rows[:args.limit]
    res = {}
    secs = mpix = 0.0
    count_mismatch = 0
    worst_gap = 0.0
    n = 0
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        for r in rows:
            if args.minutes and time.time() - t0 > args.minutes * 60:
                break
            img = os.path.join(data.DATA, "images", r["id"] + ".png")
            lab = data.load_labels(r["id"])
            h, w = lab.shape
            extra = list(args.arg)
            if args.known_size:
                extra.append("--segment=unet:nuclei,diameter=%.2f" % r["diameter"])
            svg, tif, s = convert(args.figtrace, img, tmp, extra)
            secs += s
            mpix += w * h / 1e6
            inst_tif = np.asarray(Image.open(tif)).astype(np.int32)
            methods = [("figtrace --labels", inst_tif)]
            if not args.labels_only:
                vb, paths = read_nuclei(svg)
                inst_svg = render_instances(vb, paths, w, h, tmp)
                if len(np.unique(inst_tif[inst_tif > 0])) != len(paths):
                    count_mismatch += 1
                x = data.prepare(data.load_image(r["id"]))
                base = nuclei_eval.baseline(x, nuclei_eval.estimate_diameter(x))
                methods = [("figtrace SVG", inst_svg)] + methods + [("baseline", base)]
            mod = r["modality"]
            scores = {}
            for meth, inst in methods:
                counts = data.ap_counts(lab, inst)
                scores[meth] = data.ap_from_counts(counts)
                res.setdefault(meth, {}).setdefault(mod, []).append(counts)
            n += 1
            if args.labels_only:
                print("%s %-13s AP50 labels %.3f  %.2f s" % (
                    r["id"][:8], mod, scores["figtrace --labels"][0], s), file=sys.stderr, flush=True)
                continue
            worst_gap = max(worst_gap, abs(scores["figtrace SVG"][0] - scores["figtrace --labels"][0]))
            print("%s %-13s %3d paths  AP50 svg %.3f labels %.3f baseline %.3f  %.2f s" % (
                r["id"][:8], mod, len(paths), scores["figtrace SVG"][0],
                scores["figtrace --labels"][0], scores["baseline"][0], s),
                file=sys.stderr, flush=True)
    mods = ("all",) + data.MODALITIES
    print("program: %s; %s images: %d; model path: %s; %.0f s; command: %s" % (
        os.path.relpath(args.figtrace, ROOT), "validation" if args.split == "val" else "training",
        n, os.environ.get("FIGTRACE_MODEL_PATH", "(default)"), time.time() - t0,
        " ".join(sys.argv)))
    for pooled, title in ((False, "mean over the images"),
                          (True, "TP, FP, FN pooled over the images")):
        print("\nAP@0.5 / AP@[0.5:0.95] (images), %s" % title)
        print("| method | " + " | ".join(mods) + " |")
        print("|---|" + "---:|" * len(mods))
        for meth, row in nuclei_eval.summarize(res if pooled else per_image(res),
                                               pooled).items():
            print("| %s | " % meth + " | ".join(
                "%.3f / %.3f (%d)" % row[m] if m in row else "-" for m in mods) + " |")
    print("\nfigtrace: %.2f s per megapixel (%.1f Mpixel, whole process, -p microscopy)" % (
        secs / max(mpix, 1e-9), mpix), end="")
    if args.labels_only:
        print()
    else:
        print("; images whose SVG path count differs from the label image's: %d; largest "
              "per-image |AP@0.5(SVG) - AP@0.5(labels)|: %.3f" % (count_mismatch, worst_gap))


if __name__ == "__main__":
    main()
