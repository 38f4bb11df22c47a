#!/usr/bin/python3
"""Synthetic degraded drawings for the planned `sketch` U-Net (data only; not trained yet).

    /usr/bin/python3 tools/train/sketch_data.py OUTDIR [--count N] [--icons DIR] [--seed S]

Plan for the model: one gray input channel (photographed or scanned paper,
percentile-normalised like the nuclei model, ink dark so no inversion), one
output class (sigmoid: ink), the same U-Net architecture as nuclei.  The
segment stage then thresholds the ink probability and hands the mask to the
centerline tracer, so the model's job is to separate pen and pencil strokes
from paper texture, shadows, uneven light, JPEG artefacts and show-through.

Clean drawings come from two sources:
  - Omniglot pen trajectories (../shared/data/omniglot/strokes_background_small1.zip:
    per character a text file of x,y,t points, strokes between START/BREAK
    lines), drawn with a random pen width, scale and placement, 1-4 characters
    per sheet;
  - outline icons (@tabler/icons, 24x24 viewBox, stroke-only SVG; install with
    `npm install --prefix tools/train/work @tabler/icons`), rendered with
    rsvg-convert after replacing the stroke width by a random one.
The clean ink coverage is the target.  Degradations, each drawn at random:
paper tone and a smooth illumination gradient or vignette, paper grain,
pencil texture (ink darkness modulated by noise, lighter strokes), faint
show-through of another drawing, defocus blur, sensor noise and JPEG
compression.

Each sample is written as OUTDIR/NNNNN.png (8-bit gray, the degraded sheet)
and OUTDIR/NNNNN.mask.png (0/255 ink), 256x256.
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
ICONS = os.path.join(HERE, "work", "node_modules", "@tabler", "icons", "icons")
SIZE = 256


def read_omniglot(path=OMNIGLOT):
    """-> list of characters, each a list of strokes (arrays of x, y)."""
    chars = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
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


def draw_character(mask, strokes, rng):
    """Draw one character into the PIL "L" image mask at a random place and size."""
    pts = np.concatenate(strokes)
    lo, hi = pts.min(0), pts.max(0)
    extent = max(hi - lo)
    size = rng.uniform(0.25, 0.7) * SIZE
    s = size / max(extent, 1e-6)
    off = rng.uniform(0, SIZE - size, 2)
    width = max(1, int(round(rng.uniform(1.5, 7.0))))
    d = ImageDraw.Draw(mask)
    for st in strokes:
        xy = [tuple(v) for v in (st - lo) * s + off]
        d.line(xy, fill=255, width=width, joint="curve")


def draw_icon(svg_path, rng):
    """Render one outline icon with a random stroke width -> float ink coverage."""
    svg = open(svg_path).read()
    svg = re.sub(r'stroke-width="[0-9.]+"', 'stroke-width="%.2f"' % rng.uniform(0.8, 2.6), svg)
    side = int(rng.uniform(0.35, 0.9) * SIZE)
    png = subprocess.run(["rsvg-convert", "-w", str(side), "-h", str(side)],
                         input=svg.encode(), capture_output=True, check=True).stdout
    a = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))[..., 3].astype(np.float32) / 255
    out = np.zeros((SIZE, SIZE), np.float32)
    y, x = rng.randint(0, SIZE - side + 1, 2)
    out[y:y + side, x:x + side] = a
    return out


def smooth_noise(rng, sigma, amp):
    return ndi.gaussian_filter(rng.normal(0, 1, (SIZE, SIZE)), sigma) * amp * sigma


def degrade(ink, rng, ghost=None):
    """Clean ink coverage in [0, 1] -> degraded gray sheet in [0, 1]."""
    paper = rng.uniform(0.7, 0.98)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] / SIZE
    light = 1 + rng.uniform(-0.25, 0.25) * (xx - 0.5) + rng.uniform(-0.25, 0.25) * (yy - 0.5)
    if rng.rand() < 0.4:
        light -= rng.uniform(0, 0.4) * ((xx - 0.5) ** 2 + (yy - 0.5) ** 2)
    sheet = paper * light + smooth_noise(rng, rng.uniform(0.7, 2.0), 0.02)
    darkness = rng.uniform(0.35, 0.95)
    if rng.rand() < 0.5:  # pencil: grainy, lighter strokes
        darkness *= np.clip(1 + rng.normal(0, 0.35, ink.shape), 0.2, 1.5) * rng.uniform(0.5, 0.9)
    sheet = sheet * (1 - darkness * ink)
    if ghost is not None:
        sheet *= 1 - rng.uniform(0.03, 0.12) * ndi.gaussian_filter(ghost[:, ::-1], 1.5)
    if rng.rand() < 0.5:
        sheet = ndi.gaussian_filter(sheet, rng.uniform(0.4, 1.5))
    sheet = sheet + rng.normal(0, rng.uniform(0.0, 0.05), sheet.shape)
    img = Image.fromarray((np.clip(sheet, 0, 1) * 255 + 0.5).astype(np.uint8))
    if rng.rand() < 0.6:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=int(rng.uniform(25, 90)))
        img = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return img


def clean_sheet(chars, icons, rng):
    if icons and rng.rand() < 0.4:
        return draw_icon(icons[rng.randint(len(icons))], rng)
    m = Image.new("L", (SIZE, SIZE), 0)
    for _ in range(rng.randint(1, 5)):
        draw_character(m, chars[rng.randint(len(chars))], rng)
    return np.asarray(m, np.float32) / 255


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--icons", default=ICONS)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.RandomState(args.seed)
    chars = read_omniglot()
    icons = sorted(glob.glob(os.path.join(args.icons, "*.svg")))
    if not icons:
        print("sketch_data: no icons in %s (npm install --prefix tools/train/work @tabler/icons); "
              "Omniglot only" % args.icons)
    os.makedirs(args.outdir, exist_ok=True)
    for i in range(args.count):
        ink = clean_sheet(chars, icons, rng)
        ghost = clean_sheet(chars, icons, rng) if rng.rand() < 0.2 else None
        degrade(ink, rng, ghost).save(os.path.join(args.outdir, "%05d.png" % i))
        Image.fromarray(((ink > 0.5) * 255).astype(np.uint8)).save(
            os.path.join(args.outdir, "%05d.mask.png" % i))
    print("sketch_data: %d samples (%d Omniglot characters, %d icons) in %s"
          % (args.count, len(chars), len(icons), args.outdir))


if __name__ == "__main__":
    main()
