#!/usr/bin/python3
"""Evaluate the nuclei U-Net against a classical baseline on the validation split.

    /usr/bin/python3 tools/bench/nuclei/eval.py [--model models/nuclei.safetensors]

Input: the validation rows of tools/train/split.csv (never trained on), each image
made gray and polarity-corrected as tools/train/data.py describes.  Methods, all
in the same run on the same images:

  unet-native   the model run on the image as given (percentile normalised),
                instances from its 3-class output (interior components > 0.5,
                watershed-grown into the foreground, fragments < 10 px dropped);
  unet-size     the same after rescaling the image so the ESTIMATED nucleus
                diameter becomes the model's object_size (16 px); instances
                (fragments < 10% of a canonical nucleus dropped) are resized back;
  baseline      Otsu threshold of the Gaussian-smoothed (sigma 1) image, holes
                filled, distance transform, peaks at least 0.35 x the estimated
                diameter apart as markers, watershed of the negated distance,
                fragments < 10% of the estimated nucleus area dropped.

The object size is estimated without labels (estimate_diameter): the Otsu
foreground's connected components, each one's largest inscribed-circle diameter
(2 x its distance-transform maximum), median over components, times 1.16 (the
median bias measured on training images); then refined once
with the model - run at the estimated scale, take the median equivalent diameter
of the instances it finds, and rerun when that differs from 16 px by more than
15%.  The rescale factor is clipped to 0.2..4 and the rescaled image to 4 Mpixel.

Metric: AP@t = TP / (TP + FP + FN) at IoU >= t, reported at t = 0.5 and
averaged over t = 0.5, 0.55, ..., 0.95, per modality.  Full images: per image,
averaged over images (the 2018 Data Science Bowl convention).  Scale sweep:
TP, FP and FN summed over the windows first, since a small window may hold
only a few nuclei.

Scales: "x1" is every validation image at its native size.  The scale sweep
(x0.5, x1, x2, x3) resizes a centre window of at most --window px (default 128)
of every validation image, labels by nearest neighbour, so the sweep's x1 row
differs from the full-image row; the window keeps the x3 run affordable on a
shared CPU.  Images are taken round-robin over the modalities; --minutes stops
taking new ones when the time is spent, and every table says how many it
covers.
"""
import argparse
import json
import os
import sys
import time
from itertools import zip_longest

import numpy as np
import torch
from scipy import ndimage as ndi

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools", "train"))
import data  # noqa: E402
from unet import UNet  # noqa: E402


def load_model(path):
    """Read a figtrace safetensors model back into the PyTorch UNet."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        blob = f.read()
    meta = header.pop("__metadata__")
    model = UNet(int(meta["in_channels"]), int(meta["classes"]), int(meta["base_channels"]),
                 int(meta["depth"]), meta["upsample"], meta["norm"])
    sd = model.state_dict()
    for k, v in header.items():
        a, b = v["data_offsets"]
        sd[k] = torch.from_numpy(np.frombuffer(blob[a:b], dtype="<f4").reshape(v["shape"]).copy())
    model.load_state_dict(sd)
    model.eval()
    return model, meta


def predict(model, x):
    h, w = x.shape
    m = 1 << model.arch["depth"]
    xp = np.pad(x, ((0, (-h) % m), (0, (-w) % m)), mode="edge")
    with torch.no_grad():
        p = model.probabilities(torch.from_numpy(xp)[None, None])[0].numpy()
    return p[:, :h, :w]


# Inscribed-circle diameters underestimate the equivalent-circle diameter of
# elongated nuclei: on 150 random training images the median ratio
# estimate / labelled diameter was 0.86 (fluorescence 0.86, H&E 0.85), so the
# estimate is scaled by 1 / 0.86.
ESTIMATE_GAIN = 1.16


def otsu_mask(x):
    from skimage.filters import threshold_otsu
    xs = ndi.gaussian_filter(x, 1.0)
    m = xs > threshold_otsu(xs)
    return ndi.binary_fill_holes(m)


def estimate_diameter(x):
    """Label-free nucleus diameter estimate (pixels) of a prepared gray image."""
    m = otsu_mask(x)
    lab, n = ndi.label(m)
    if n == 0:
        return data.CANON_DIAMETER
    dt = ndi.distance_transform_edt(m)
    mx = ndi.maximum(dt, lab, index=np.arange(1, n + 1))
    area = np.bincount(lab.ravel())[1:]
    mx = mx[area >= 9]
    if mx.size == 0:
        return data.CANON_DIAMETER
    return float(max(2.0, ESTIMATE_GAIN * 2.0 * np.median(mx)))


def baseline(x, d):
    from skimage.feature import peak_local_max
    from skimage.segmentation import watershed
    m = otsu_mask(x)
    dt = ndi.distance_transform_edt(m)
    dts = ndi.gaussian_filter(dt, max(0.5, d / 16))
    lab0, _ = ndi.label(m)
    pk = peak_local_max(dts, min_distance=max(1, int(round(0.35 * d))), labels=lab0,
                        exclude_border=False)
    markers = np.zeros(x.shape, np.int32)
    markers[tuple(pk.T)] = np.arange(1, len(pk) + 1)
    lab = watershed(-dts, markers, mask=m)
    return data.drop_small(lab, max(3, int(0.1 * np.pi * (d / 2) ** 2)))


def resized_shape(shape, f):
    return max(8, int(round(shape[0] * f))), max(8, int(round(shape[1] * f)))


def unet_at(model, x, f):
    """Instances of x found by running the model on x resized by f, at x's size."""
    xr = data.resize(x, resized_shape(x.shape, f)) if f != 1 else x
    p = predict(model, xr)
    inst = data.instances(p, min_area=int(0.1 * np.pi * (data.CANON_DIAMETER / 2) ** 2))
    return data.resize(inst, x.shape, nearest=True) if f != 1 else inst, inst


MAX_PIXELS = 4e6  # rescaled images are capped at this size (memory and time)


def clip_factor(f, shape):
    f = float(np.clip(f, 0.2, 4.0))
    return min(f, np.sqrt(MAX_PIXELS / (shape[0] * shape[1])))


def unet_size(model, x):
    d = estimate_diameter(x)
    f = clip_factor(data.CANON_DIAMETER / d, x.shape)
    inst, small = unet_at(model, x, f)
    d2 = data.median_diameter(small)
    if d2 > 0 and abs(d2 / data.CANON_DIAMETER - 1) > 0.15:
        f = clip_factor(f * data.CANON_DIAMETER / d2, x.shape)
        inst, _ = unet_at(model, x, f)
    return inst, data.CANON_DIAMETER / f, d


def centre_window(a, n):
    h, w = a.shape[:2]
    y0, x0 = max(0, (h - n) // 2), max(0, (w - n) // 2)
    return a[y0:y0 + n, x0:x0 + n]


def summarize(res, pooled=False):
    """res: method -> modality -> list of per-image AP vectors (or, pooled, of
    TP/FP/FN counts summed over the images) -> (AP@0.5, AP@[.5:.95], images)."""
    def one(v):
        v = np.array(v)
        ap = data.ap_from_counts(v.sum(0)) if pooled else v.mean(0)
        return ap[0], ap.mean(), len(v)
    out = {}
    for meth, bymod in res.items():
        out[meth] = {"all": one([x for v in bymod.values() for x in v])}
        for mod, v in bymod.items():
            out[meth][mod] = one(v)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "nuclei.safetensors"))
    ap.add_argument("--scales", default="0.5,1,2,3")
    ap.add_argument("--window", type=int, default=128)
    ap.add_argument("--limit", type=int, default=0, help="first N validation images (debug)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--minutes", type=float, default=0,
                    help="stop taking new images after this much wall time (0: all); the "
                         "tables say how many images they cover")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model, meta = load_model(args.model)
    assert float(meta["object_size"]) == data.CANON_DIAMETER
    rows = [r for r in data.read_split() if r["split"] == "val"]
    # round-robin over modalities, so a partial (--minutes, --limit) run covers each
    bymod = [[r for r in rows if r["modality"] == m] for m in data.MODALITIES]
    rows = [r for grp in zip_longest(*bymod) for r in grp if r is not None]
    if args.limit:
        rows = rows[:args.limit]
    t0 = time.time()
    full = {}
    sweep = {}
    est = []
    scales = [float(s) for s in args.scales.split(",")]
    for r in rows:
        if args.minutes and time.time() - t0 > args.minutes * 60:
            break
        g = data.load_image(r["id"])
        lab = data.load_labels(r["id"])
        mod = r["modality"]
        # full images at native size
        x = data.prepare(g)
        inst_n, _ = unet_at_native(model, x)
        inst_s, dused, dest = unet_size(model, x)
        est.append((mod, r["diameter"], dest, dused))
        for meth, inst in (("unet-native", inst_n), ("unet-size", inst_s),
                           ("baseline", baseline(x, dest))):
            full.setdefault(meth, {}).setdefault(mod, []).append(data.ap_scores(lab, inst))
        # scale sweep on the centre window
        gw, lw = centre_window(g, args.window), centre_window(lab, args.window)
        for s in scales:
            shp = resized_shape(gw.shape, s)
            gs = data.resize(gw, shp) if s != 1 else gw
            ls = data.resize(lw, shp, nearest=True) if s != 1 else lw
            xs = data.prepare(gs)
            inst_n, _ = unet_at_native(model, xs)
            inst_s, _, dest_s = unet_size(model, xs)
            for meth, inst in (("unet-native", inst_n), ("unet-size", inst_s),
                               ("baseline", baseline(xs, dest_s))):
                sweep.setdefault(s, {}).setdefault(meth, {}).setdefault(mod, []).append(
                    data.ap_counts(ls, inst))
        print("%s %-13s d=%.1f est=%.1f used=%.1f  %.0f s" % (r["id"][:8], mod, r["diameter"],
              dest, dused, time.time() - t0), file=sys.stderr, flush=True)
    report(full, sweep, est, args, time.time() - t0)


def unet_at_native(model, x):
    p = predict(model, x)
    inst = data.instances(p, min_area=10)
    return inst, p


def report(full, sweep, est, args, secs):
    mods = ("all",) + data.MODALITIES
    print("model: %s; validation images: %d; %.0f s; command: %s" % (
        os.path.relpath(args.model, ROOT), len(est), secs, " ".join(sys.argv)))
    print("\nFull validation images, native size: AP@0.5 / AP@[0.5:0.95] (images)")
    print("| method | " + " | ".join(mods) + " |")
    print("|---|" + "---:|" * len(mods))
    for meth, row in summarize(full).items():
        print("| %s | " % meth + " | ".join(
            "%.3f / %.3f (%d)" % row[m] if m in row else "-" for m in mods) + " |")
    scales = sorted(sweep)
    print("\nScale sweep (centre %d px window resized; TP, FP, FN pooled over the windows): "
          "AP@0.5 / AP@[0.5:0.95], all modalities, %d images" % (args.window, len(est)))
    print("| method | " + " | ".join("x%g" % s for s in scales) + " |")
    print("|---|" + "---:|" * len(scales))
    summ = {s: summarize(sweep[s], pooled=True) for s in scales}
    for meth in summ[scales[0]]:
        print("| %s | " % meth + " | ".join(
            "%.3f / %.3f" % summ[s][meth]["all"][:2] for s in scales) + " |")
    print("\nScale sweep per modality, AP@0.5 (images: %s)" % ", ".join(
        "%s %d" % (m, summ[scales[0]]["baseline"][m][2]) for m in data.MODALITIES
        if m in summ[scales[0]]["baseline"]))
    print("| method | modality | " + " | ".join("x%g" % s for s in scales) + " |")
    print("|---|---|" + "---:|" * len(scales))
    for meth in summ[scales[0]]:
        for m in data.MODALITIES:
            if m in summ[scales[0]][meth]:
                print("| %s | %s | " % (meth, m) + " | ".join(
                    "%.3f" % summ[s][meth][m][0] for s in scales) + " |")
    e = np.array([(t, a, u) for _, t, a, u in est])
    r1 = e[:, 1] / e[:, 0]
    r2 = e[:, 2] / e[:, 0]
    print("\nSize estimate / labelled median diameter (full images): Otsu estimate median %.2f "
          "(10-90%%: %.2f-%.2f); after the model refinement median %.2f (10-90%%: %.2f-%.2f)"
          % (np.median(r1), *np.percentile(r1, [10, 90]), np.median(r2), *np.percentile(r2, [10, 90])))


if __name__ == "__main__":
    main()
