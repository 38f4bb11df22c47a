#!/usr/bin/python3
"""Centerline benchmark (driven by tools/bench/centerline/run).

For each icon and size S: the icon (stroke black, width 2 of 24 units) is
rendered S x S on white with rsvg-convert; figtrace traces it with
--trace=centerline, auto and outline, potrace with its defaults (-b svg) on
the image thresholded at 50%.  Every result is rendered again at S x S.

The degraded case draws the icon as a pencil line, as
tools/bench/sketches does (stroke width 0.2 .. 0.3 of 24 units, i.e. 4.3 ..
6.4 px at 512 and 8.5 .. 12.8 px at 1024), takes it through the pencil-photo
degradations of tools/bench/sketches/degrade.py (seeded per icon and size,
JPEG quality 75 .. 90) and traces the photo with figtrace -p sketch (the
sketch U-Net when models/sketch.safetensors is found, else the classical
chain: gray, flatten, median, local midpoint, min-area; FT_BENCH_FIGTRACE_ARGS
can add e.g. --segment=threshold) and --trace=centerline, auto and outline;
potrace traces the same binary mask
(the preset's label image, --labels).  The references are the clean pencil
line's ink (coverage >= 50%) for IoU and the icon's centre lines for the
distances.

  IoU       ink (luminance < 50%) of the re-rendered result against the
            input's ink.
  segments  path segments in the result (a line, curve or arc is one; a
            closing z one) over those of the source icon.
  centre    the source icon drawn with 1-pixel strokes and our strokes drawn
            1 pixel wide (outline layers removed): mean distance in pixels
            from each of our centre-line pixels to the nearest source one,
            and from each source one to ours ('ours->src' / 'src->ours').
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
from PIL import Image
from scipy import ndimage

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sketches"))
import degrade  # noqa: E402

NUM = r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?"
TOK = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|" + NUM)
ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


def path_segments(d):
    """Number of segments drawn by path data d."""
    n = 0
    cmd = None
    args = 0
    for t in TOK.findall(d):
        if t.isalpha():
            if cmd:
                n += seg_count(cmd, args)
            cmd, args = t.lower(), 0
            if cmd == "z":
                n += 1
                cmd = None
        else:
            args += 1
    if cmd:
        n += seg_count(cmd, args)
    return n


def seg_count(cmd, args):
    k = ARITY[cmd]
    if cmd == "m":
        return max(args // 2 - 1, 0)
    return args // k if k else 0


def svg_segments(text):
    """Segments of the visible paths and shapes of an SVG document."""
    n = 0
    for m in re.finditer(r"<(path|line|circle|ellipse|rect|polyline|polygon)\b([^>]*)>", text):
        tag, attrs = m.group(1), m.group(2)
        if re.search(r'stroke="none"', attrs) and re.search(r'fill="none"', attrs):
            continue
        if tag == "path":
            d = re.search(r'\sd="([^"]*)"', attrs)
            n += path_segments(d.group(1)) if d else 0
        elif tag == "line":
            n += 1
        elif tag in ("circle", "ellipse"):
            n += 2
        elif tag == "rect":
            n += 4
        else:
            pts = re.search(r'points="([^"]*)"', attrs)
            k = len(re.findall(NUM, pts.group(1))) // 2 if pts else 0
            n += max(k - 1, 0) + (tag == "polygon")
    return n


def render(svg_path, size, png_path):
    subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size), "-b", "white",
                    svg_path, "-o", png_path], check=True)
    return np.asarray(Image.open(png_path).convert("L"), dtype=np.uint8)


def ink(gray, level=128):
    return gray < level


def iou(a, b):
    u = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum()) / u if u else 1.0


def mean_dist(src, dst):
    """Mean distance from the pixels of src to the nearest pixel of dst."""
    if not src.any() or not dst.any():
        return float("nan")
    dt = ndimage.distance_transform_edt(~dst)
    return float(dt[src].mean())


def trace(a, m, case, inp, out, S, labels=None):
    """Trace inp into out with method m; returns wall seconds."""
    t0 = time.time()
    if m == "potrace":
        subprocess.run(["potrace", "-b", "svg", "-o", out, labels], check=True)
    else:
        cmd = [a.figtrace, "-q", "--trace=" + m, "-o", out]
        if case == "degraded":
            cmd[2:2] = ["-p", "sketch"] + os.environ.get("FT_BENCH_FIGTRACE_ARGS", "").split()
        subprocess.run(cmd + [inp], check=True)
    return time.time() - t0


def centre_dist(out, text, S, src_line):
    """(ours->src, src->ours) mean distances of our centre lines."""
    t = re.sub(r'<g id="ink".*?</g>', "", text, flags=re.S)
    t = re.sub(r'stroke-width="[^"]*"', 'stroke-width="1"', t)
    cl = out[:-4] + ".cl.svg"
    open(cl, "w").write(t)
    ours = ink(render(cl, S, cl[:-4] + ".png"), 200)
    return mean_dist(ours, src_line), mean_dist(src_line, ours)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--figtrace", required=True)
    ap.add_argument("--icons", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--count", type=int, default=80)
    ap.add_argument("--sizes", default="512,1024")
    ap.add_argument("--cases", default="clean,degraded")
    ap.add_argument("--methods", default="centerline,auto,outline,potrace")
    ap.add_argument("--json", help="also write every icon's results to this file")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    names = sorted(f for f in os.listdir(a.icons) if f.endswith(".svg"))
    step = max(len(names) // a.count, 1)
    names = names[::step][: a.count]
    sizes = [int(s) for s in a.sizes.split(",")]
    cases = a.cases.split(",")
    methods = a.methods.split(",")
    rows = {(c, s, m): [] for c in cases for s in sizes for m in methods}
    for idx, name in enumerate(names):
        src_text = open(os.path.join(a.icons, name)).read().replace("currentColor", "#000000")
        base = os.path.join(a.work, name[:-4])
        src_svg = base + ".src.svg"
        open(src_svg, "w").write(src_text)
        src_segs = svg_segments(src_text)
        for S in sizes:
            png = "%s.%d.png" % (base, S)
            gray = render(src_svg, S, png)
            ink_in = ink(gray)
            thin_svg = "%s.%d.thin.svg" % (base, S)
            open(thin_svg, "w").write(
                re.sub(r'stroke-width="2"', 'stroke-width="%g"' % (24.0 / S), src_text, count=1))
            src_line = ink(render(thin_svg, S, thin_svg[:-4] + ".png"), 200)
            for case in cases:
                inp, labels, truth = png, None, ink_in
                if case == "clean":
                    # potrace traces the black pixels of the PBM: ink is 1 there
                    labels = "%s.%d.pbm" % (base, S)
                    Image.fromarray(~ink_in).convert("1").save(labels)
                else:
                    # a pencil line: width 0.2 .. 0.3 of 24 units, as in
                    # tools/bench/sketches
                    rng = np.random.default_rng(1000 + 7 * idx + S)
                    pen_svg = "%s.%d.pen.svg" % (base, S)
                    open(pen_svg, "w").write(re.sub(
                        r'stroke-width="2"', 'stroke-width="%.3f"' % rng.uniform(0.2, 0.3),
                        src_text, count=1))
                    pen = render(pen_svg, S, pen_svg[:-4] + ".png")
                    truth = ink(pen)
                    photo = degrade.pencil_photo(1.0 - pen / 255.0, rng)
                    inp = "%s.%d.deg.jpg" % (base, S)
                    Image.fromarray(photo, "RGB").save(inp, quality=int(rng.integers(75, 91)))
                for m in methods:
                    out = "%s.%d.%s.%s.svg" % (base, S, case[:3], m)
                    if m == "potrace" and case != "clean":
                        # the sketch chain's mask, written by a figtrace run
                        lab = out[:-4] + ".labels.png"
                        subprocess.run([a.figtrace, "-q", "-p", "sketch"] +
                                       os.environ.get("FT_BENCH_FIGTRACE_ARGS", "").split() +
                                       ["--labels=" + lab, "-o", out, inp], check=True)
                        mask = np.asarray(Image.open(lab)) > 0
                        labels = out[:-4] + ".pbm"
                        Image.fromarray(~mask).convert("1").save(labels)
                    dt = trace(a, m, case, inp, out, S, labels)
                    text = open(out).read()
                    got = ink(render(out, S, out[:-4] + ".png"))
                    r = {"iou": iou(got, truth), "segs": svg_segments(text), "src": src_segs,
                         "t": dt}
                    if m in ("centerline", "auto"):
                        r["d_ours"], r["d_src"] = centre_dist(out, text, S, src_line)
                    rows[(case, S, m)].append((name, r))
        sys.stderr.write(".")
        sys.stderr.flush()
    sys.stderr.write("\n")

    if a.json:
        with open(a.json, "w") as fp:
            json.dump({"%s %d %s" % k: v for k, v in rows.items()}, fp, indent=1)
    print("%d icons of %s (every %d-th)" % (len(names), a.icons, step))
    print()
    print("| case | size | method | mean IoU | min IoU | IoU >= 0.95 | IoU >= 0.93 | "
          "segments / source | centre ours->src px | centre src->ours px | s per icon |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for case in cases:
        for S in sizes:
            for m in methods:
                rs = [r for _, r in rows[(case, S, m)]]
                ious = np.array([r["iou"] for r in rs])
                segs = sum(r["segs"] for r in rs) / max(sum(r["src"] for r in rs), 1)
                cl = m in ("centerline", "auto")
                d1 = np.nanmean([r.get("d_ours", np.nan) for r in rs]) if cl else None
                d2 = np.nanmean([r.get("d_src", np.nan) for r in rs]) if cl else None
                print("| %s | %d | %s | %.3f | %.3f | %d/%d | %d/%d | %.2f | %s | %s | %.2f |" % (
                    case, S, m, ious.mean(), ious.min(), (ious >= 0.95).sum(), len(ious),
                    (ious >= 0.93).sum(), len(ious), segs,
                    "%.2f" % d1 if d1 is not None else "-", "%.2f" % d2 if d2 is not None else "-",
                    np.mean([r["t"] for r in rs])))
    print()
    for case in cases:
        for S in sizes:
            if (case, S, "centerline") not in rows:
                continue
            worst = sorted(rows[(case, S, "centerline")], key=lambda x: x[1]["iou"])[:8]
            print("worst centerline IoU, %s %d: %s" % (
                case, S, ", ".join("%s %.3f" % (n[:-4], r["iou"]) for n, r in worst)))


if __name__ == "__main__":
    main()
