#!/usr/bin/python3
"""Synthetic photographs of drawings for the `sketch` U-Net: data for
tools/train/train.py --model sketch, and a command that writes samples to look at.

    /usr/bin/python3 tools/train/sketch_data.py OUTDIR [--count N] [--seed S]

Each sample is a SIZE x SIZE gray "photograph" of a drawing on paper and its
ground truth, the clean rendering's ink (coverage >= 0.5).  The network sees
the photograph prepared as the library prepares it (data.prepare: inverted
when the background is the bright side - for paper, always - then the
1st..99.8th percentiles mapped to 0..1) and learns the ink probability.

Clean drawings come from two sources:
  - Omniglot pen trajectories (../shared/data/omniglot/strokes_background_small1.zip:
    per character a text file of x,y,t points, strokes between START/BREAK
    lines), 1-4 characters per sheet at a random size, place and pen width
    (2..12 px), drawn 4x supersampled and box-reduced so edges carry the
    partial coverage a camera sees;
  - outline icons of @tabler/icons (24x24 viewBox, stroke-only SVG; the npm
    package in tools/bench/work/ that the sketch benchmark installs),
    rendered with rsvg-convert at 0.4..2.2 x SIZE with the stroke width 2
    replaced so strokes are 2.5..16 px wide, placed at random (partly off the
    sheet when large).
The sketch benchmark (tools/bench/sketches) uses every N-th icon of the
sorted outline set; those icons (bench_icons(), N = 40, the benchmark's
default, and N = 8, its quick setting) never enter the training data.

Degradations, each drawn at random (their strength ranges are set here, not
copied from the benchmark's degrade.py):
  - paper: a tone of 0.6..0.98, fibre grain (fine noise) and blotches
    (smooth noise); occasionally faint show-through of a mirrored drawing;
  - light: a linear gradient in a random direction (to 55..100% across the
    sheet), a vignette, and in half the sheets a hard shadow edge (a
    half-plane darkened to 45..85%, softened over 0.5..4 px);
  - graphite or ink: darkness 0.25..0.95 of the paper, modulated by a slowly
    drifting pen pressure and, for pencil, by a pixel-scale grain;
  - camera: Gaussian blur (sigma 0.3..1.8), sensor noise and JPEG
    compression (quality 30..95).
"""
import argparse
import glob
import io
import os
import re
import subprocess
import zipfile

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage as ndi

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OMNIGLOT = os.path.abspath(os.path.join(ROOT, "..", "shared", "data", "omniglot",
                                        "strokes_background_small1.zip"))
ICONS = os.path.join(ROOT, "tools", "bench", "work", "node_modules", "@tabler", "icons",
                     "icons", "outline")
SIZE = 256
SS = 4                  # supersampling of the Omniglot drawings
BENCH_N = (40, 8)       # the sketch benchmark's icon counts whose icons are held out


def read_omniglot(path=OMNIGLOT):
    """-> list of characters, each a list of strokes (arrays of x, y)."""
    chars = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if not name.endswith(".txt") or "__MACOSX" in name:
                continue
            strokes, cur = [], []
            for line in z.read(name).decode().splitlines():
                line = line.strip()
                if line in ("START", "BREAK"):
                    if len(cur) > 1:
                        strokes.append(np.array(cur))
                    cur = []
                elif line:
                    x, y, _ = line.split(",")
                    cur.append((float(x), -float(y)))
            if len(cur) > 1:
                strokes.append(np.array(cur))
            if strokes:
                chars.append(strokes)
    return chars


def bench_icons(names, counts=BENCH_N):
    """The icon file names the sketch benchmark picks from the sorted outline
    set for each count N in counts (bench.py: every len//N-th, the first N)."""
    names = sorted(names)
    out = set()
    for n in counts:
        step = max(1, len(names) // n)
        out.update(names[::step][:n])
    return sorted(out)


def training_icons(icon_dir=ICONS):
    """(paths of the icons training may use, names of the held-out ones)."""
    names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(icon_dir, "*.svg")))
    held = set(bench_icons(names))
    return [os.path.join(icon_dir, n) for n in names if n not in held], sorted(held)


def draw_characters(chars, rng):
    """1-4 Omniglot characters -> float ink coverage (SIZE x SIZE)."""
    m = Image.new("L", (SIZE * SS, SIZE * SS), 0)
    d = ImageDraw.Draw(m)
    width = int(round(rng.uniform(2.0, 12.0) * SS))
    for _ in range(rng.randint(1, 5)):
        strokes = chars[rng.randint(len(chars))]
        pts = np.concatenate(strokes)
        lo, hi = pts.min(0), pts.max(0)
        size = rng.uniform(0.3, 0.9) * SIZE * SS
        s = size / max(max(hi - lo), 1e-6)
        off = rng.uniform(-0.1 * size, SIZE * SS - 0.9 * size, 2)
        for st in strokes:
            xy = [tuple(v) for v in (st - lo) * s + off]
            d.line(xy, fill=255, width=width, joint="curve")
            r = width / 2.0
            for x, y in (xy[0], xy[-1]):  # round caps
                d.ellipse((x - r, y - r, x + r, y + r), fill=255)
    a = np.asarray(m, np.float32).reshape(SIZE, SS, SIZE, SS).mean((1, 3))
    return a / 255.0


def draw_icon(svg_path, rng):
    """Render one outline icon at a random size and stroke width -> float coverage."""
    svg = open(svg_path).read()
    side = int(rng.uniform(0.4, 2.2) * SIZE)
    px = rng.uniform(2.5, 16.0)                     # stroke width in pixels
    sw = min(px * 24.0 / side, 3.0)
    svg = re.sub(r'stroke-width="[0-9.]+"', 'stroke-width="%.3f"' % sw, svg)
    svg = svg.replace("currentColor", "#000")
    png = subprocess.run(["rsvg-convert", "-w", str(side), "-h", str(side)],
                         input=svg.encode(), capture_output=True, check=True).stdout
    a = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))[..., 3].astype(np.float32) / 255
    out = np.zeros((SIZE, SIZE), np.float32)
    if side <= SIZE:
        y, x = rng.randint(0, SIZE - side + 1, 2)
        out[y:y + side, x:x + side] = a
    else:  # a window of the large rendering that holds ink
        for _ in range(8):
            y, x = rng.randint(0, side - SIZE + 1, 2)
            out = a[y:y + SIZE, x:x + SIZE].copy()
            if out.sum() > 2 * SIZE:
                break
    return out


def unit_noise(rng, sigma, shape=(SIZE, SIZE)):
    n = ndi.gaussian_filter(rng.normal(0, 1, shape), sigma)
    return n / (n.std() + 1e-12)


def degrade(ink, rng, ghost=None):
    """Clean ink coverage in [0, 1] -> degraded 8-bit gray sheet (uint8 array)."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] / SIZE
    paper = rng.uniform(0.6, 0.98) * (1 + rng.uniform(0, 0.03) * unit_noise(rng, rng.uniform(0.6, 2))
                                      + rng.uniform(0, 0.04) * unit_noise(rng, rng.uniform(10, 40)))
    a = rng.uniform(0, 2 * np.pi)
    g = xx * np.cos(a) + yy * np.sin(a)
    g = (g - g.min()) / (g.max() - g.min() + 1e-9)
    light = 1 - rng.uniform(0, 0.45) * g
    if rng.rand() < 0.3:
        light = light - rng.uniform(0, 0.5) * ((xx - 0.5) ** 2 + (yy - 0.5) ** 2)
    if rng.rand() < 0.5:  # a hard shadow edge across the sheet
        px, py = rng.uniform(0, 1, 2)
        b = rng.uniform(0, 2 * np.pi)
        side = ((xx - px) * np.cos(b) + (yy - py) * np.sin(b)) > 0
        soft = ndi.gaussian_filter(side.astype(np.float64), rng.uniform(0.5, 4.0))
        light = light * (1 - rng.uniform(0.15, 0.55) * soft)
    dark = rng.uniform(0.25, 0.95) * np.clip(1 + rng.uniform(0, 0.3) * unit_noise(rng, rng.uniform(10, 60)),
                                             0.3, 1.5)
    if rng.rand() < 0.6:  # pencil grain
        dark = dark * np.clip(1 + rng.uniform(0.1, 0.4) * unit_noise(rng, rng.uniform(0.5, 1.0)), 0.2, 1.7)
    sheet = paper * (1 - np.clip(dark * ink, 0, 0.97))
    if ghost is not None:
        sheet *= 1 - rng.uniform(0.03, 0.12) * ndi.gaussian_filter(ghost[:, ::-1], 1.5)
    sheet = sheet * light
    if rng.rand() < 0.7:
        sheet = ndi.gaussian_filter(sheet, rng.uniform(0.3, 1.8))
    sheet = sheet + rng.normal(0, rng.uniform(0.0, 0.04), sheet.shape)
    img = Image.fromarray((np.clip(sheet, 0, 1) * 255 + 0.5).astype(np.uint8))
    if rng.rand() < 0.7:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=int(rng.uniform(30, 95)))
        img = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return np.asarray(img)


def clean_sheet(chars, icons, rng):
    if icons and rng.rand() < 0.6:
        return draw_icon(icons[rng.randint(len(icons))], rng)
    return draw_characters(chars, rng)


def sample(chars, icons, rng):
    """-> (uint8 gray sheet, uint8 0/1 ink mask), both SIZE x SIZE."""
    ink = clean_sheet(chars, icons, rng)
    ghost = clean_sheet(chars, icons, rng) if rng.rand() < 0.15 else None
    return degrade(ink, rng, ghost), (ink >= 0.5).astype(np.uint8)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--icons", default=ICONS)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.RandomState(args.seed)
    chars = read_omniglot()
    icons, held = training_icons(args.icons)
    if not icons:
        print("sketch_data: no icons in %s (run tools/bench/sketches/run once, or npm install "
              "--prefix tools/bench/work @tabler/icons); Omniglot only" % args.icons)
    os.makedirs(args.outdir, exist_ok=True)
    for i in range(args.count):
        img, mask = sample(chars, icons, rng)
        Image.fromarray(img).save(os.path.join(args.outdir, "%05d.png" % i))
        Image.fromarray(mask * 255).save(os.path.join(args.outdir, "%05d.mask.png" % i))
    print("sketch_data: %d samples (%d Omniglot characters, %d icons, %d benchmark icons "
          "held out) in %s" % (args.count, len(chars), len(icons), len(held), args.outdir))


if __name__ == "__main__":
    main()
