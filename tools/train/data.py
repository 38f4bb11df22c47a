#!/usr/bin/python3
"""Data for the figtrace nuclei U-Net: loading, the fixed split, scale-normalised
training crops, instance post-processing and the AP metric.

Images come from ../shared/data/nuclei-dsb2018 (images/<id>.png, labels/<id>.png
16-bit instance maps, index.csv with the modality).  Every image becomes one gray
channel with nuclei brighter than the background: RGB is reduced with the Rec. 709
luminance weights that ft_image_to_gray uses, and the result is inverted when the
background is the bright side (bright_background(): the median lies above the
middle of the 1st..99.8th percentile range - true for H&E and brightfield, false
for fluorescence).  Then the 1st..99.8th percentiles map to 0..1, as ft_model_run
does with input_norm=percentile.

Scale: each image's nucleus diameter is the median over its instances of the
equivalent-circle diameter 2*sqrt(area/pi).  Training crops are resampled so that
this diameter becomes CANON_DIAMETER pixels (times a log-uniform jitter), the idea
Cellpose uses to make a network size-invariant: at inference the library
estimates the object size and rescales the image to the canonical size.

Targets: three classes, 0 background, 1 nucleus interior, 2 nucleus boundary
(a foreground pixel with an 8-neighbour of another label, background included),
so touching nuclei are separated by boundary pixels.

Instances from a 3-class probability map: connected components of
interior > 0.5, grown by a watershed on the interior probability into the
foreground mask (background probability < 0.5), fragments below a minimum area
dropped.  AP at an IoU threshold t is TP / (TP + FP + FN) with the one-to-one
matching that IoU > 0.5 implies (the 2018 Data Science Bowl metric), averaged
over images.
"""
import csv
import os

import numpy as np
from PIL import Image
from scipy import ndimage as ndi

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
# FIGTRACE_NUCLEI_DATA: a copy elsewhere (inside the checkout, for a machine
# that gets the checkout only)
DATA = os.path.abspath(os.environ.get("FIGTRACE_NUCLEI_DATA")
                       or os.path.join(ROOT, "..", "shared", "data", "nuclei-dsb2018"))
SPLIT = os.path.join(HERE, "split.csv")

CANON_DIAMETER = 16.0       # nucleus diameter (pixels) the model is trained at
NORM_LOW, NORM_HIGH = 1.0, 99.8
VAL_FRACTION = 0.15
SPLIT_SEED = 2018
MODALITIES = ("fluorescence", "histology-he", "brightfield")
# The training crops' share per modality (each modality's images drawn uniformly)
MODALITY_WEIGHTS = {"fluorescence": 0.55, "histology-he": 0.33, "brightfield": 0.12}


def to_gray(rgb):
    """uint8/uint16 array (H, W) or (H, W, C) -> float32 gray in [0, 1]."""
    a = np.asarray(rgb)
    scale = 65535.0 if a.dtype == np.uint16 else 255.0
    a = a.astype(np.float32) / scale
    if a.ndim == 3:
        if a.shape[2] in (2, 4):
            a = a[..., :-1]
        if a.shape[2] == 3:
            a = 0.2126 * a[..., 0] + 0.7152 * a[..., 1] + 0.0722 * a[..., 2]
        else:
            a = a[..., 0]
    return a.astype(np.float32)


def bright_background(g):
    """True when the background is the bright side (objects dark): invert."""
    lo, hi = np.percentile(g, [NORM_LOW, NORM_HIGH])
    return float(np.median(g)) > 0.5 * (lo + hi)


def normalize(g):
    """Percentile normalisation as ft_model_run applies it (no clipping)."""
    lo, hi = np.percentile(g, [NORM_LOW, NORM_HIGH])
    return ((g.astype(np.float64) - lo) / max(hi - lo, 1e-6)).astype(np.float32)


def prepare(g):
    """Gray in [0,1] -> polarity-corrected, percentile-normalised network input."""
    if bright_background(g):
        g = 1.0 - g
    return normalize(g)


def load_image(ident):
    return to_gray(Image.open(os.path.join(DATA, "images", ident + ".png")))


def load_labels(ident):
    return np.asarray(Image.open(os.path.join(DATA, "labels", ident + ".png"))).astype(np.int32)


def median_diameter(lab):
    """Median equivalent-circle diameter of the instances in lab (0 when none)."""
    area = np.bincount(lab.ravel())[1:]
    area = area[area > 0]
    if area.size == 0:
        return 0.0
    return float(np.median(2.0 * np.sqrt(area / np.pi)))


def read_index():
    with open(os.path.join(DATA, "index.csv")) as f:
        return list(csv.DictReader(f))


def make_split(path=SPLIT):
    """Write the seeded, modality-stratified train/validation split with each
    image's median nucleus diameter."""
    rows = read_index()
    rng = np.random.RandomState(SPLIT_SEED)
    out = []
    for mod in MODALITIES:
        ids = sorted(r["id"] for r in rows if r["modality"] == mod)
        perm = rng.permutation(len(ids))
        nval = max(2, int(round(VAL_FRACTION * len(ids))))
        val = set(ids[i] for i in perm[:nval])
        for r in rows:
            if r["modality"] != mod:
                continue
            d = median_diameter(load_labels(r["id"]))
            out.append((r["id"], mod, "val" if r["id"] in val else "train", "%.2f" % d))
    out.sort()
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(("id", "modality", "split", "diameter"))
        w.writerows(out)


def read_split(path=SPLIT):
    if not os.path.exists(path):
        make_split(path)
    with open(path) as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["diameter"] = float(r["diameter"])
    return rows


def targets(lab, touch=0, core=False):
    """Instance map (-1 = ignore) -> int64 class map 0/1/2 (-1 kept as ignore).
    With touch > 0, nucleus pixels within touch px (chessboard) of another
    nucleus get class 3: the boundary where nuclei touch, widened, which the
    loss counts as boundary with its own weight.  With core, a nucleus too
    small to have an interior pixel (about 3 px across or less) gets one
    anyway: its pixels farthest from its outline become interior, so that
    every nucleus has a seed the instance split can grow from."""
    p = np.pad(lab, 1, mode="edge")
    h, w = lab.shape
    diff = np.zeros(lab.shape, bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                n = p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w]
                diff |= (n != lab) & (n >= 0)
    t = np.where(lab > 0, np.where(diff, 2, 1), 0).astype(np.int64)
    if touch > 0:
        q = np.pad(lab, touch, mode="edge")
        near = np.zeros(lab.shape, bool)
        for dy in range(-touch, touch + 1):
            for dx in range(-touch, touch + 1):
                if dy or dx:
                    n = q[touch + dy:touch + dy + h, touch + dx:touch + dx + w]
                    near |= (n > 0) & (n != lab)
        t[near & (lab > 0)] = 3
    if core:
        give_cores(lab, t)
    t[lab < 0] = -1
    return t


def give_cores(lab, t):
    """Mark as interior (1) the innermost pixels of each nucleus of lab that
    has no interior pixel in the class map t."""
    n = int(lab.max())
    if n <= 0:
        return
    has = np.bincount(lab[t == 1], minlength=n + 1) > 0
    for l, sl in enumerate(ndi.find_objects(np.maximum(lab, 0)), start=1):
        if sl is None or has[l]:
            continue
        own = lab[sl] == l
        d = ndi.distance_transform_edt(np.pad(own, 1))[1:-1, 1:-1]
        t[sl][own & (d == d.max())] = 1


def resize(a, shape, nearest=False):
    """Resize a float32 or int32 2-D array to shape (h, w) with PIL
    (area-filtered bilinear for images, nearest for labels)."""
    h, w = shape
    if nearest:
        im = Image.fromarray(a.astype(np.int32), mode="I")
        return np.asarray(im.resize((w, h), Image.NEAREST)).astype(np.int32)
    im = Image.fromarray(a.astype(np.float32), mode="F")
    return np.asarray(im.resize((w, h), Image.BILINEAR)).astype(np.float32)


class CropSampler:
    """Random training crops at the canonical nucleus size, augmented."""

    def __init__(self, items, crop=128, jitter=1.35, seed=0, modality_weights=None, touch=0,
                 small_weight=0.0, core=False, wide=(0.0, 1.0)):
        # items: list of (x normalised float32, labels int32, diameter, modality)
        # wide: (P, R) - a fraction P of the crops jittered by 1/R..R instead
        self.items = items
        self.crop = crop
        self.touch = touch
        self.small_weight = small_weight
        self.core = core
        self.areas = {}
        self.jitter = jitter
        self.wide_p, self.wide_r = wide
        self.rng = np.random.RandomState(seed)
        mw = modality_weights or MODALITY_WEIGHTS
        counts = {}
        for it in items:
            counts[it[3]] = counts.get(it[3], 0) + 1
        wts = np.array([mw[it[3]] / counts[it[3]] for it in items])
        self.p = wts / wts.sum()

    def one(self):
        rng = self.rng
        k_item = rng.choice(len(self.items), p=self.p)
        x, lab, d, _ = self.items[k_item]
        jit = self.jitter
        if self.wide_p > 0 and rng.rand() < self.wide_p:
            jit = self.wide_r
        s = CANON_DIAMETER / d * np.exp(rng.uniform(-np.log(jit), np.log(jit)))
        c = self.crop
        src = int(round(c / s))
        h, w = x.shape
        # source window, padded when the image is smaller than the window
        y0 = rng.randint(0, max(h - src, 0) + 1)
        x0 = rng.randint(0, max(w - src, 0) + 1)
        xs = x[y0:y0 + src, x0:x0 + src]
        ls = lab[y0:y0 + src, x0:x0 + src]
        th, tw = max(1, int(round(xs.shape[0] * s))), max(1, int(round(xs.shape[1] * s)))
        xr = resize(xs, (th, tw))
        lr = resize(ls, (th, tw), nearest=True)
        if th < c or tw < c:
            ph, pw = max(c - th, 0), max(c - tw, 0)
            xr = np.pad(xr, ((0, ph), (0, pw)), mode="edge")
            lr = np.pad(lr, ((0, ph), (0, pw)), constant_values=-1)
        xr, lr = xr[:c, :c], lr[:c, :c]
        t = targets(lr, self.touch, self.core)
        wt = self.pixel_weights(k_item, lr, s)
        # geometry: the dihedral group (flips and 90-degree rotations)
        k = rng.randint(4)
        xr, t, wt = np.rot90(xr, k), np.rot90(t, k), np.rot90(wt, k)
        if rng.rand() < 0.5:
            xr, t, wt = xr[:, ::-1], t[:, ::-1], wt[:, ::-1]
        xr = np.ascontiguousarray(xr, dtype=np.float32)
        # intensity: gamma on the clipped signal, contrast/offset jitter
        if rng.rand() < 0.8:
            g = np.exp(rng.uniform(np.log(0.6), np.log(1.6)))
            xr = np.clip(xr, 0, None) ** g
        xr = xr * rng.uniform(0.75, 1.25) + rng.uniform(-0.15, 0.15)
        # blur (defocus) and noise
        if rng.rand() < 0.3:
            xr = ndi.gaussian_filter(xr, rng.uniform(0.5, 1.8))
        if rng.rand() < 0.5:
            xr = xr + rng.normal(0, rng.uniform(0.01, 0.12), xr.shape).astype(np.float32)
        return xr.astype(np.float32), np.ascontiguousarray(t), np.ascontiguousarray(wt)

    def pixel_weights(self, k_item, lr, s):
        """Loss weights of a crop's pixels: 1, or with small_weight W > 0, for
        the pixels of a nucleus smaller than the canonical one,
        sqrt(canonical area / its area) up to W, so that a small nucleus
        weighs more nearly as much as a large one in the loss (its whole area
        in the image, scaled by s, not the part inside the crop)."""
        if self.small_weight <= 0:
            return np.ones(lr.shape, np.float32)
        if k_item not in self.areas:
            self.areas[k_item] = np.bincount(np.maximum(self.items[k_item][1], 0).ravel())
        areas = self.areas[k_item].astype(np.float64) * s * s
        ref = np.pi * (CANON_DIAMETER / 2) ** 2
        per = np.clip(np.sqrt(ref / np.maximum(areas, 1e-9)), 1.0, self.small_weight)
        per[0] = 1.0
        idx = np.clip(lr, 0, len(per) - 1)
        return np.where(lr > 0, per[idx], 1.0).astype(np.float32)

    def batch(self, n):
        xs, ts, ws = zip(*(self.one() for _ in range(n)))
        return np.stack(xs)[:, None], np.stack(ts), np.stack(ws)


def instances(prob, min_area=30, thresh=0.5):
    """3-class probabilities [3, H, W] -> int32 instance map."""
    from skimage.segmentation import watershed
    interior = prob[1] > thresh
    fg = prob[0] < 0.5
    markers, n = ndi.label(interior)
    if n == 0:
        return markers.astype(np.int32)
    lab = watershed(-prob[1], markers, mask=fg | interior)
    return drop_small(lab, min_area)


def drop_small(lab, min_area):
    area = np.bincount(lab.ravel())
    keep = area >= min_area
    keep[0] = False
    remap = np.zeros(len(area), np.int32)
    remap[keep] = np.arange(1, keep.sum() + 1)
    return remap[lab]


def iou_matrix(gt, pred):
    ng, npr = int(gt.max()), int(pred.max())
    inter = np.bincount(gt.ravel().astype(np.int64) * (npr + 1) + pred.ravel(),
                        minlength=(ng + 1) * (npr + 1)).reshape(ng + 1, npr + 1)
    ag, ap = inter.sum(1), inter.sum(0)
    inter = inter[1:, 1:]
    union = ag[1:, None] + ap[None, 1:] - inter
    return inter / np.maximum(union, 1)


THRESHOLDS = np.arange(0.5, 1.0, 0.05)


def ap_counts(gt, pred):
    """[len(THRESHOLDS), 3] array of TP, FP, FN for one image."""
    gt = drop_small(gt, 1)
    pred = drop_small(pred, 1)
    ng, npr = int(gt.max()), int(pred.max())
    out = np.zeros((len(THRESHOLDS), 3), np.int64)
    iou = iou_matrix(gt, pred) if ng and npr else np.zeros((ng, npr))
    for i, t in enumerate(THRESHOLDS):
        tp = int((iou >= t).sum())  # one-to-one for t > 0.5; t = 0.5 ties are negligible
        out[i] = tp, npr - tp, ng - tp
    return out


def ap_from_counts(c):
    """TP / (TP + FP + FN) per threshold from ap_counts() rows (summed or not);
    1 when there was nothing to find and nothing was found."""
    tot = c.sum(-1)
    return np.where(tot > 0, c[..., 0] / np.maximum(tot, 1), 1.0)


def ap_scores(gt, pred):
    """AP at each threshold of THRESHOLDS for one image (compacted label maps)."""
    return ap_from_counts(ap_counts(gt, pred))
