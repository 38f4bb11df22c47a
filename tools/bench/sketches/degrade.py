"""tools/bench/sketches/degrade.py - a clean line drawing made to look like a
photographed pencil sketch.

pencil_photo(cover, rng) takes the ink coverage of a clean rendering (H x W,
0 paper .. 1 ink) and returns an H x W x 3 uint8 photograph of it:
  - graphite: grey, not black; its darkness follows the pen pressure, which
    drifts slowly over the page (0.4 .. 0.9 of full), times a fine grain
    (paper tooth catching graphite unevenly);
  - paper: a warm off-white with fibre texture and low-frequency blotches;
  - light: a linear gradient across the page in a random direction (down to
    70% at the far side) and a hard shadow edge (a hand or phone over the
    page) that darkens a half-plane to about 60%, softened over ~2 px;
  - camera: a Gaussian blur (sigma about 1), sensor noise, and the caller
    writes the result as a JPEG.
Used by tools/bench/sketches/bench.py and tools/make-samples.py (pencil.jpg).
"""
import numpy as np
from scipy import ndimage


def _unit_noise(rng, shape, sigma):
    """Gaussian-filtered white noise, normalised to unit standard deviation."""
    n = ndimage.gaussian_filter(rng.normal(0.0, 1.0, shape), sigma)
    return n / (n.std() + 1e-12)


def pencil_photo(cover, rng):
    H, W = cover.shape
    scale = max(H, W) / 1024.0
    pressure = np.clip(0.65 + 0.12 * _unit_noise(rng, (H, W), 60 * scale), 0.4, 0.9)
    grain = np.clip(1.0 + 0.3 * _unit_noise(rng, (H, W), 0.7), 0.3, 1.6)
    dark = np.clip(cover * pressure * grain, 0.0, 0.92)[..., None]

    paper = np.array([238.0, 232.0, 220.0]) * (
        1.0 + 0.015 * _unit_noise(rng, (H, W), 1.5) + 0.02 * _unit_noise(rng, (H, W), 40 * scale)
    )[..., None]
    graphite = np.array([72.0, 72.0, 80.0])
    img = paper * (1.0 - dark) + graphite * dark

    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    a = rng.uniform(0, 2 * np.pi)
    g = x * np.cos(a) + y * np.sin(a)
    g = (g - g.min()) / (g.max() - g.min())
    light = 1.0 - 0.3 * g
    # hard shadow: the half-plane beyond a line through a point near a
    # corner, roughly square to the diagonal, on the corner's side
    px, py = rng.uniform(0.15, 0.35) * W, rng.uniform(0.15, 0.35) * H
    cx, cy = 0.0, 0.0
    if rng.random() < 0.5:
        px, cx = W - px, float(W)
    if rng.random() < 0.5:
        py, cy = H - py, float(H)
    b = np.arctan2(cy - py, cx - px) + rng.uniform(-0.5, 0.5)
    side = (x - px) * np.cos(b) + (y - py) * np.sin(b)
    shadow = 1.0 - 0.4 * ndimage.gaussian_filter((side > 0).astype(np.float64), 2.0 * scale)
    img = img * (light * shadow)[..., None]

    img = ndimage.gaussian_filter(img, (1.0 * scale, 1.0 * scale, 0))
    img += rng.normal(0.0, 2.5, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)
