"""tools/bench/colors/bench.py - colour figures: figtrace -p color vs VTracer colour mode.

Each figure is drawn here from a fixed seed at 4x and box-reduced to SIZE x
SIZE (anti-aliased edges): a white or pale background, then 4..8 shapes in
3..6 colours of the Okabe-Ito palette and a few darker tones - rounded
boxes, discs, triangles and stars, thick polylines (arrows, connectors) and
filled @tabler/icons glyphs tinted in one colour.  The clean drawing is the
reference; the input is its JPEG (quality 70..90).  Each tool's SVG is
rendered back at SIZE and compared with the clean drawing: PSNR over RGB,
subpaths (moveto commands), segments, bytes and wall time.
  figtrace  figtrace FT_BENCH_FTARGS (default -p color)
  vtracer   @neplex/vectorizer, vtracer's default colour settings (stacked,
            filter_speckle 4, color_precision 6, layer_difference 16, spline)
Run through tools/bench/colors/run.
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sketches"))
import common  # noqa: E402

WORK = os.environ["FT_BENCH_WORK"]
TOP = os.environ["FT_BENCH_TOP"]
N = int(os.environ.get("FT_BENCH_N", "30"))
SIZE = int(os.environ.get("FT_BENCH_SIZE", "512"))
FIGTRACE = os.path.join(TOP, "figtrace")
FTARGS = os.environ.get("FT_BENCH_FTARGS", "-p color").split()
VTCONF = os.environ.get("FT_BENCH_VTRACER", "color")
FILLED = os.path.join(WORK, "node_modules/@tabler/icons/icons/filled")

PALETTE = [(230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (0, 114, 178),
           (213, 94, 0), (204, 121, 167), (0, 0, 0), (90, 90, 90), (120, 40, 140)]
BACKS = [(255, 255, 255), (255, 255, 255), (255, 255, 255), (245, 240, 225), (230, 242, 250)]


def figure(i, out):
    rng = np.random.default_rng(500 + i)
    k = 4
    S = SIZE * k
    back = BACKS[int(rng.integers(len(BACKS)))]
    img = Image.new("RGB", (S, S), back)
    d = ImageDraw.Draw(img)
    cols = [PALETTE[j] for j in rng.choice(len(PALETTE), size=int(rng.integers(3, 7)),
                                           replace=False)]
    for _ in range(int(rng.integers(4, 9))):
        c = cols[int(rng.integers(len(cols)))]
        kind = rng.choice(["box", "disc", "tri", "star", "line", "icon"])
        x0, y0 = rng.uniform(0.05, 0.7, 2) * S
        w, h = rng.uniform(0.12, 0.4, 2) * S
        x1, y1 = min(x0 + w, S * 0.97), min(y0 + h, S * 0.97)
        if kind == "box":
            d.rounded_rectangle([x0, y0, x1, y1], radius=int(rng.uniform(0, 0.2) * min(w, h)),
                                fill=c)
        elif kind == "disc":
            d.ellipse([x0, y0, x1, y1], fill=c)
        elif kind == "tri":
            d.polygon([(x0, y1), ((x0 + x1) / 2, y0), (x1, y1)], fill=c)
        elif kind == "star":
            cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, min(w, h) / 2
            pts = [(cx + (r if j % 2 == 0 else r * 0.45) * np.cos(np.pi * j / 5 - np.pi / 2),
                    cy + (r if j % 2 == 0 else r * 0.45) * np.sin(np.pi * j / 5 - np.pi / 2))
                   for j in range(10)]
            d.polygon(pts, fill=c)
        elif kind == "line":
            pts = [tuple(p) for p in rng.uniform(0.05, 0.95, (3, 2)) * S]
            d.line(pts, fill=c, width=int(rng.uniform(0.008, 0.02) * S), joint="curve")
        else:
            names = sorted(f for f in os.listdir(FILLED) if f.endswith(".svg"))
            name = names[int(rng.integers(len(names)))]
            svg = open(os.path.join(FILLED, name)).read().replace(
                "currentColor", "#%02x%02x%02x" % c)
            src = os.path.join(out, "icon-%d.svg" % i)
            open(src, "w").write(svg)
            side = int(min(w, h))
            png = src + ".png"
            common.run(["rsvg-convert", "-w", str(side), "-h", str(side), "-o", png, src])
            icon = Image.open(png).convert("RGBA")
            img.paste(icon, (int(x0), int(y0)), icon)
    a = np.asarray(img, dtype=np.float64).reshape(SIZE, k, SIZE, k, 3).mean(axis=(1, 3))
    clean = np.clip(np.rint(a), 0, 255).astype(np.uint8)
    stem = os.path.join(out, "fig%02d" % i)
    Image.fromarray(clean).save(stem + ".clean.png")
    Image.fromarray(clean).save(stem + ".jpg", quality=int(rng.integers(70, 91)))
    return stem, clean.astype(np.float64)


def score(svg, clean):
    png = svg + ".png"
    common.render(svg, png, SIZE, SIZE)
    mse = ((common.load_rgb(png) - clean) ** 2).mean()
    segs, subs = common.path_stats(svg)
    return {"psnr": 10 * np.log10(255.0 ** 2 / max(mse, 1e-10)), "segs": segs, "paths": subs,
            "bytes": os.path.getsize(svg)}


def main():
    out = os.path.join(WORK, "colors")
    os.makedirs(out, exist_ok=True)
    figs = [figure(i, out) for i in range(N)]
    res = {"figtrace": [], "vtracer": []}
    for stem, clean in figs:
        svg = stem + ".figtrace.svg"
        dt = common.run([FIGTRACE] + FTARGS + ["-o", svg, stem + ".jpg"])
        r = score(svg, clean)
        r["time"] = dt
        res["figtrace"].append((stem, r))
    jobs = [(stem + ".jpg", stem + ".vtracer.svg") for stem, _ in figs]
    times = common.vtracer(WORK, jobs, VTCONF)
    for (stem, clean), (_, svg) in zip(figs, jobs):
        r = score(svg, clean)
        r["time"] = times[svg]
        res["vtracer"].append((stem, r))
    jp = [10 * np.log10(255.0 ** 2 / ((common.load_rgb(s + ".jpg") - c) ** 2).mean())
          for s, c in figs]
    print("%d colour figures, %dx%d, JPEG input (itself %.2f dB from the clean figure); "
          "figtrace %s, VTracer %s" % (len(figs), SIZE, SIZE, common.mean(jp), " ".join(FTARGS),
                                       VTCONF))
    print()
    print("| tool | mean PSNR dB | min PSNR dB | mean paths | mean segments | mean bytes | "
          "mean time s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for t in ("figtrace", "vtracer"):
        rs = [r for _, r in res[t]]
        print("| %s | %.2f | %.2f | %.0f | %.0f | %.0f | %.3f |" % (
            t, common.mean([r["psnr"] for r in rs]), min(r["psnr"] for r in rs),
            common.mean([r["paths"] for r in rs]), common.mean([r["segs"] for r in rs]),
            common.mean([r["bytes"] for r in rs]), common.mean([r["time"] for r in rs])))
    wins = sum(1 for (_, a), (_, b) in zip(res["figtrace"], res["vtracer"]) if a["psnr"] >= b["psnr"])
    print()
    print("figtrace PSNR >= VTracer on %d of %d figures" % (wins, len(figs)))


if __name__ == "__main__":
    main()
