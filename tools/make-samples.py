#!/usr/bin/python3
"""tools/make-samples.py - generate the sample images in samples/.

Every sample is synthetic and made here from fixed seeds, so running this
script again reproduces the committed files (given the same numpy, Pillow
and tifffile versions; Debian 12's python3-numpy, python3-pil and
python3-tifffile were used).  Run it from anywhere:

    /usr/bin/python3 tools/make-samples.py [OUTDIR]     (default: samples/)

What each sample is meant to show is described in samples/README.md.
Drawing is done at several times the final resolution and reduced with a box
filter, which gives the anti-aliased edges a real scan or export has.
"""

import os
import sys

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

# ---------------------------------------------------------------------------
# A tiny stroke font: each glyph is a list of polylines on a 4 x 6 grid
# (x right, y down).  Enough letters for the diagram's labels; drawing text
# from our own strokes keeps the result independent of installed fonts.
GLYPHS = {
    "A": [[(0, 6), (2, 0), (4, 6)], [(1, 4), (3, 4)]],
    "C": [[(4, 1), (3, 0), (1, 0), (0, 1), (0, 5), (1, 6), (3, 6), (4, 5)]],
    "E": [[(4, 0), (0, 0), (0, 6), (4, 6)], [(0, 3), (3, 3)]],
    "F": [[(4, 0), (0, 0), (0, 6)], [(0, 3), (3, 3)]],
    "G": [[(4, 1), (3, 0), (1, 0), (0, 1), (0, 5), (1, 6), (3, 6), (4, 5), (4, 3), (2, 3)]],
    "I": [[(2, 0), (2, 6)], [(1, 0), (3, 0)], [(1, 6), (3, 6)]],
    "N": [[(0, 6), (0, 0), (4, 6), (4, 0)]],
    "P": [[(0, 6), (0, 0), (3, 0), (4, 1), (4, 2), (3, 3), (0, 3)]],
    "R": [[(0, 6), (0, 0), (3, 0), (4, 1), (4, 2), (3, 3), (0, 3)], [(2, 3), (4, 6)]],
    "S": [[(4, 1), (3, 0), (1, 0), (0, 1), (0, 2), (1, 3), (3, 3), (4, 4), (4, 5), (3, 6),
           (1, 6), (0, 5)]],
    "T": [[(0, 0), (4, 0)], [(2, 0), (2, 6)]],
    "U": [[(0, 0), (0, 5), (1, 6), (3, 6), (4, 5), (4, 0)]],
    "V": [[(0, 0), (2, 6), (4, 0)]],
}


def stroke(draw, pts, width, fill):
    """A polyline with round joins and caps."""
    draw.line(pts, fill=fill, width=int(round(width)), joint="curve")
    r = width / 2.0
    for x, y in (pts[0], pts[-1]):
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)


def text(draw, s, x, y, size, width, fill, rng, wobble=0.0):
    """Draw s with the stroke font, glyph cell height `size`, top-left at x, y."""
    u = size / 6.0
    for ch in s:
        if ch == " ":
            x += 3 * u
            continue
        for line in GLYPHS[ch]:
            pts = [(x + gx * u + rng.normal(0, wobble), y + gy * u + rng.normal(0, wobble))
                   for gx, gy in line]
            stroke(draw, pts, width, fill)
        x += 6 * u


def text_width(s, size):
    u = size / 6.0
    return sum(3 * u if ch == " " else 6 * u for ch in s) - 2 * u


def arrow(draw, p0, p1, width, head, fill):
    """A straight arrow from p0 to p1 with a filled triangular head."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    d = (p1 - p0) / np.linalg.norm(p1 - p0)
    n = np.array([-d[1], d[0]])
    base = p1 - d * head
    stroke(draw, [tuple(p0), tuple(base + d * head * 0.3)], width, fill)
    tri = [tuple(p1), tuple(base + n * head * 0.45), tuple(base - n * head * 0.45)]
    draw.polygon(tri, fill=fill)


def box_reduce(img, k):
    """Average k x k blocks: the anti-aliasing of a supersampled drawing."""
    a = np.asarray(img, dtype=np.float64)
    h, w = a.shape[0] // k, a.shape[1] // k
    a = a[: h * k, : w * k]
    if a.ndim == 2:
        return a.reshape(h, k, w, k).mean(axis=(1, 3))
    return a.reshape(h, k, w, k, a.shape[2]).mean(axis=(1, 3))


def to_u8(a):
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------
def make_diagram(path):
    """A block diagram as drawn in a figure tool: 480 x 320, 8-bit gray."""
    k, W, H = 4, 480, 320
    rng = np.random.default_rng(20260101)
    img = Image.new("L", (W * k, H * k), 255)
    d = ImageDraw.Draw(img)
    lw = 2.5 * k
    boxes = [("INPUT", 30, 40), ("TRACE", 185, 40), ("SVG", 340, 40)]
    bw, bh = 110, 60
    for label, x, y in boxes:
        d.rounded_rectangle([x * k, y * k, (x + bw) * k, (y + bh) * k], radius=8 * k,
                            outline=0, width=int(lw))
        size = 18 * k
        tx = (x + bw / 2) * k - text_width(label, size) / 2
        text(d, label, tx, (y + bh / 2 - 9) * k, size, 2.2 * k, 0, rng)
    for (_, x0, y0), (_, x1, _) in zip(boxes, boxes[1:]):
        arrow(d, ((x0 + bw + 6) * k, (y0 + bh / 2) * k), ((x1 - 6) * k, (y0 + bh / 2) * k),
              lw, 14 * k, 0)
    # A circle node below the middle box, joined to it by a vertical arrow.
    cx, cy, r = 240, 200, 42
    d.ellipse([(cx - r) * k, (cy - r) * k, (cx + r) * k, (cy + r) * k], outline=0,
              width=int(lw))
    text(d, "FIT", (cx * k) - text_width("FIT", 18 * k) / 2, (cy - 9) * k, 18 * k, 2.2 * k, 0,
         rng)
    arrow(d, (cx * k, 106 * k), (cx * k, (cy - r - 5) * k), lw, 14 * k, 0)
    # Back edge: an elbow arrow from the circle to the SVG box.
    stroke(d, [((cx + r + 4) * k, cy * k), (395 * k, cy * k), (395 * k, 122 * k)], lw, 0)
    arrow(d, (395 * k, 124 * k), (395 * k, 106 * k), lw, 14 * k, 0)
    # Filled dots, a ring (a region with a hole) and a dot inside a ring.
    for i, (x, y, rr) in enumerate([(60, 200, 10), (95, 200, 7), (122, 200, 4)]):
        d.ellipse([(x - rr) * k, (y - rr) * k, (x + rr) * k, (y + rr) * k], fill=0)
    d.ellipse([40 * k, 245 * k, 90 * k, 295 * k], outline=0, width=8 * k)
    d.ellipse([105 * k, 245 * k, 155 * k, 295 * k], outline=0, width=6 * k)
    d.ellipse([121 * k, 261 * k, 139 * k, 279 * k], fill=0)
    # Handwritten-looking annotation: the stroke font with jitter, thinner.
    text(d, "PIPE", 300 * k, 265 * k, 16 * k, 1.6 * k, 60, rng, wobble=0.6 * k)
    # A dashed rule across the bottom.
    for x in range(20, 460, 16):
        stroke(d, [(x * k, 310 * k), ((x + 9) * k, 310 * k)], 1.5 * k, 0)
    Image.fromarray(to_u8(box_reduce(img, k)), "L").save(path, optimize=True)


# ---------------------------------------------------------------------------
def make_nuclei(path):
    """Widefield fluorescence of stained nuclei: 256 x 256, 16-bit, ImageJ TIFF."""
    import tifffile

    rng = np.random.default_rng(424242)
    H = W = 256
    k = 2
    yy, xx = np.mgrid[0:H * k, 0:W * k] / k
    signal = np.zeros((H * k, W * k))
    centres = []
    while len(centres) < 28:
        c = rng.uniform(14, W - 14, size=2)
        r = rng.uniform(7, 13)
        # Mostly separate nuclei, a few touching pairs.
        if all(np.hypot(*(c - c2)) > 0.85 * (r + r2) for c2, r2 in centres):
            centres.append((c, r))
    for (cx, cy), r in centres:
        a, b = r, r * rng.uniform(0.7, 1.0)
        t = rng.uniform(0, np.pi)
        u = (xx - cx) * np.cos(t) + (yy - cy) * np.sin(t)
        v = -(xx - cx) * np.sin(t) + (yy - cy) * np.cos(t)
        inside = (u / a) ** 2 + (v / b) ** 2 <= 1.0
        signal[inside] = np.maximum(signal[inside], rng.uniform(0.55, 1.0))
    signal = box_reduce(signal, k)
    # Chromatin texture, optical blur, uneven background, shot and read noise.
    texture = ndimage.gaussian_filter(rng.normal(0, 1, (H, W)), 1.2)
    signal = signal * (1 + 0.35 * texture / texture.std())
    signal = ndimage.gaussian_filter(signal, 1.3)
    y, x = np.mgrid[0:H, 0:W] / W
    background = 5200 + 2600 * np.exp(-((x - 0.2) ** 2 + (y - 0.3) ** 2) / 0.35)
    expected = background + 30000 * np.clip(signal, 0, None)
    counts = rng.poisson(expected / 4.0) * 4.0 + rng.normal(0, 250, (H, W))
    data = np.clip(np.rint(counts), 0, 65535).astype(np.uint16)
    pixel_um = 0.65
    tifffile.imwrite(path, data, imagej=True, resolution=(1 / pixel_um, 1 / pixel_um),
                     metadata={"unit": "micron"})


# ---------------------------------------------------------------------------
def make_sketch(path):
    """A pencil sketch photographed on a desk: 400 x 300 RGB JPEG."""
    rng = np.random.default_rng(7)
    k, W, H = 3, 400, 300
    ink = Image.new("L", (W * k, H * k), 0)
    d = ImageDraw.Draw(ink)

    def pencil(pts, width=2.0, strength=200, jitter=0.8):
        p = np.asarray(pts, float)
        # Resample and wobble the line the way a hand does.
        seg = np.linspace(0, 1, max(8, int(np.hypot(*(p[-1] - p[0])) / 4)))
        out = []
        for i in range(len(p) - 1):
            for t in seg[:-1]:
                out.append(p[i] * (1 - t) + p[i + 1] * t)
        out.append(p[-1])
        out = np.asarray(out)
        wob = ndimage.gaussian_filter1d(rng.normal(0, jitter, out.shape), 3, axis=0)
        out = (out + wob) * k
        stroke(d, [tuple(q) for q in out], width * k, strength)

    # A house with a door, a window and a roof, a sun, a tree and the ground.
    pencil([(70, 250), (70, 150), (190, 150), (190, 250)], 2.2)
    pencil([(60, 155), (130, 95), (200, 155)], 2.4)
    pencil([(115, 250), (115, 200), (145, 200), (145, 250)], 1.8)
    pencil([(85, 170), (105, 170), (105, 190), (85, 190), (85, 170)], 1.6)
    pencil([(95, 170), (95, 190)], 1.2, 170)
    pencil([(30, 252), (370, 248)], 2.0)
    th = np.linspace(0, 2 * np.pi, 40)
    pencil([(320 + 22 * np.cos(a), 70 + 22 * np.sin(a)) for a in th], 2.0)
    for a in np.linspace(0, 2 * np.pi, 10, endpoint=False):
        pencil([(320 + 30 * np.cos(a), 70 + 30 * np.sin(a)),
                (320 + 42 * np.cos(a), 70 + 42 * np.sin(a))], 1.6)
    pencil([(280, 250), (282, 185)], 3.0)
    crown = [(282 + 34 * np.cos(a) * (1 + 0.12 * np.sin(5 * a)),
              165 + 28 * np.sin(a) * (1 + 0.12 * np.sin(5 * a))) for a in th]
    pencil(crown, 2.0)
    for i in range(9):  # hatching on the roof's shadow side
        x = 140 + i * 6
        pencil([(x, 150), (x + 12, 128 + i * 2)], 1.1, 150, 0.4)

    cover = box_reduce(ink, k) / 255.0
    # Graphite is uneven: modulate the stroke darkness with fine noise.
    grain = np.clip(1 + 0.25 * rng.normal(0, 1, (H, W)), 0.4, 1.4)
    darkness = np.clip(cover * grain * 0.62, 0, 0.8)
    # Paper: warm white, low-frequency blotches, fibre noise, a soft shadow
    # falling from the top-left (a hand or phone over the page).
    y, x = np.mgrid[0:H, 0:W]
    blotch = ndimage.gaussian_filter(rng.normal(0, 1, (H, W)), 25)
    blotch /= blotch.std()
    light = 1.0 - 0.22 * np.exp(-(((x + 60) / 260.0) ** 2 + ((y + 40) / 220.0) ** 2) * 1.5)
    light *= 1 + 0.02 * blotch
    paper = np.array([236.0, 229.0, 214.0])
    fibre = rng.normal(0, 3.0, (H, W, 1))
    rgb = (paper * light[..., None] + fibre) * (1 - darkness[..., None])
    rgb[..., 2] *= 1 + 0.03 * darkness  # graphite is slightly cooler than paper
    Image.fromarray(to_u8(rgb), "RGB").save(path, quality=88, optimize=True)


# ---------------------------------------------------------------------------
def make_pencil(path):
    """A clean line drawing and its pencil photo (640 x 480): pencil.jpg is
    the photo made by tools/bench/sketches/degrade.py, pencil-clean.png the
    drawing it was made from (8-bit gray), the reference for the sketch
    preset's end-to-end test.  Strokes are 6.7 px wide, 10.7 px at the
    1024 px scale of the sketch benchmark (whose strokes are 8.5 .. 12.8),
    so the photo's grain and blur relate to the strokes as there."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "bench", "sketches"))
    import degrade  # noqa: E402
    rng = np.random.default_rng(11)
    k, W, H = 4, 640, 480
    u = W / 480.0  # the drawing is laid out on a 480 x 360 grid
    sw = 5.0 * u
    img = Image.new("L", (W * k, H * k), 255)
    d = ImageDraw.Draw(img)

    def line(pts, width=sw):
        stroke(d, [(x * u * k, y * u * k) for x, y in pts], width * k, 0)

    # A flask on a stand, bubbles, a wavy liquid surface and a label.
    line([(150, 60), (150, 150), (90, 290), (270, 290), (210, 150), (210, 60)])
    line([(135, 60), (225, 60)])
    line([(112 + 6 * i, 240 + 6 * np.sin(i / 2.0)) for i in range(24)])
    for cx, cy, r in [(150, 265, 9), (185, 250, 6), (205, 272, 11)]:
        th = np.linspace(0, 2 * np.pi, 40)
        line([(cx + r * np.cos(a), cy + r * np.sin(a)) for a in th], 3.5 * u)
    line([(60, 320), (300, 320)])
    line([(80, 320), (80, 300)])
    line([(280, 320), (280, 300)])
    text(d, "FIT", 330 * u * k, 120 * u * k, 60 * u * k, sw * k, 0, rng)
    arrow(d, (320 * u * k, 190 * u * k), (240 * u * k, 200 * u * k), sw * k, 14 * u * k, 0)
    clean = box_reduce(img, k)
    Image.fromarray(to_u8(clean), "L").save(path.replace(".jpg", "-clean.png"))
    photo = degrade.pencil_photo(1.0 - clean / 255.0, rng)
    Image.fromarray(photo, "RGB").save(path, quality=85, optimize=True)


# ---------------------------------------------------------------------------
def make_logo(path):
    """A two-colour logo as a binary PPM (P6): 240 x 160."""
    k, W, H = 4, 240, 160
    img = Image.new("RGB", (W * k, H * k), (255, 255, 255))
    d = ImageDraw.Draw(img)
    teal, orange = (0, 114, 178), (230, 159, 0)
    # A ring with a disc inside its hole: outline, hole and island nested.
    d.ellipse([16 * k, 24 * k, 128 * k, 136 * k], fill=teal)
    d.ellipse([34 * k, 42 * k, 110 * k, 118 * k], fill=(255, 255, 255))
    d.ellipse([54 * k, 62 * k, 90 * k, 98 * k], fill=orange)
    # Block letters F and T.
    d.polygon([(p[0] * k, p[1] * k) for p in
               [(140, 30), (178, 30), (178, 44), (154, 44), (154, 72), (174, 72), (174, 86),
                (154, 86), (154, 130), (140, 130)]], fill=teal)
    d.polygon([(p[0] * k, p[1] * k) for p in
               [(184, 30), (230, 30), (230, 44), (214, 44), (214, 130), (200, 130), (200, 44),
                (184, 44)]], fill=orange)
    rgb = to_u8(box_reduce(img, k))
    Image.fromarray(rgb, "RGB").save(path, format="PPM")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "samples")
    os.makedirs(out, exist_ok=True)
    for name, fn in [("diagram.png", make_diagram), ("nuclei.tif", make_nuclei),
                     ("sketch.jpg", make_sketch), ("logo.pnm", make_logo),
                     ("pencil.jpg", make_pencil)]:
        p = os.path.join(out, name)
        fn(p)
        print("%s: %d bytes" % (p, os.path.getsize(p)))


if __name__ == "__main__":
    main()
