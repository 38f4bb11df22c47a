#!/usr/bin/python3
"""How much the scale the network runs at matters, image by image.

    /usr/bin/python3 tools/bench/nuclei/scales.py [--model F] [--split train]
        [--modality fluorescence] [--step 6] [--pair 0.88,1] [--found-size]

The library runs the nuclei U-Net at the scale that brings the image's
nuclei to the model's object size, from an estimate it checks against the
sizes of the objects the network finds.  This program measures, with the
labelled median diameter known, what other choices would give.  For every
--step-th image of the split and modality it runs the model (PyTorch, no
flips) at scales r x (object size / labelled diameter) for nine r from 0.6
to 1.67, splits each map into instances with the library's rules for
objects that are the bright side (seeds: interior > 0.5; flooded in order of
interior probability within interior + boundary > 0.6; seedless pieces of
their own; min-peak 0.8; at least 5 network pixels) and scores AP@0.5 and
AP@[0.5:0.95] per image (tools/train/data.py).  It reports:

  - the mean AP at each r, and with the best r of every image chosen by an
    oracle (the ceiling of any per-image scale rule);
  - the AP when r is chosen without the truth: by the network's confidence
    (mean max class probability over the foreground), by low entropy, by the
    stability of the instances across neighbouring scales (mean AP@0.5 of
    the r map scored against the maps at the next one or two r on each
    side), and by the found objects' median diameter nearest 14 or 16 px
    (what the library does, 16 px);
  - with --pair A,B: the maps at r = A and r = B, each the mean of the four
    flips, and their mean (a two-scale test-time average), on the grid of
    r = 1;
  - with --found-size: how faithfully the network reports size off its
    scale - at r from 0.4 to 2.2, the median diameter of the objects it
    finds (at least 4 network pixels) over 16 r px, median and 10th / 90th
    percentiles over the images.

Choose on the training split; confirm on validation.
"""
import argparse
import os
import sys

import numpy as np
import torch
from scipy import ndimage as ndi
from skimage.segmentation import watershed

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path[:0] = [os.path.join(ROOT, "tools", "train"), HERE]
import data  # noqa: E402
import eval as nuclei_eval  # noqa: E402  (eval.py beside this file: its model and size helpers)
import train  # noqa: E402


R = np.exp(np.linspace(np.log(0.6), np.log(1.67), 9))


def split_instances(p, fg_level=0.6, seed=0.5, min_peak=0.8, min_area=5):
    """Instances from 3-class probabilities [3, H, W], as the library splits
    them for objects that are the bright side as stored."""
    it = p[1].astype(np.float32)
    fg = (p[1] + p[2]) > fg_level
    markers, n = ndi.label((it > seed) & fg)
    lab = watershed(-it, markers, mask=fg)
    rest, _ = ndi.label(fg & (lab == 0))
    lab = np.where(rest > 0, rest + n, lab)
    if lab.max() and min_peak > 0:
        peak = np.asarray(ndi.maximum(it, lab, np.arange(1, lab.max() + 1)))
        keep = np.concatenate([[False], peak >= min_peak])
        lab = np.where(keep[lab], lab, 0)
    return data.drop_small(lab, min_area)


def flipped(m, x):
    """Mean of the four mirrored passes."""
    p = 0
    for fy in (0, 1):
        for fx in (0, 1):
            xx = x[::-1] if fy else x
            xx = xx[:, ::-1] if fx else xx
            q = train.predict(m, np.ascontiguousarray(xx))
            q = q[:, ::-1] if fy else q
            q = q[:, :, ::-1] if fx else q
            p = p + q
    return p / 4


def scan(m, r):
    """Per-r AP rows, instance stability matrix, confidence, entropy and found
    diameters of one image row."""
    x = data.prepare(data.load_image(r["id"]))
    gt = data.load_labels(r["id"])
    s0 = data.CANON_DIAMETER / r["diameter"]
    labs, aps, conf, ent, dm = [], [], [], [], []
    for rr in R:
        p = train.predict(m, data.resize(x, nuclei_eval.resized_shape(x.shape, s0 * rr)))
        fg = (p[1] + p[2]) > 0.5
        conf.append(p.max(0)[fg].mean() if fg.any() else 0.0)
        ent.append(-(p * np.log(np.clip(p, 1e-6, 1))).sum(0).mean())
        lab = split_instances(p)
        dm.append(data.median_diameter(data.drop_small(lab, 18)))
        lab = data.resize(lab, gt.shape, nearest=True)
        labs.append(lab)
        aps.append(data.ap_scores(gt, lab))
    n = len(R)
    stab = np.full((n, n), np.nan)
    for i in range(n):
        for j in range(n):
            if i != j:
                stab[i, j] = data.ap_scores(labs[i], labs[j])[0]
    return np.array(aps), stab, np.array(conf), np.array(ent), np.array(dm)


def pair(m, r, a, b):
    """AP rows at r = a, r = b (four flips each) and of their mean."""
    x = data.prepare(data.load_image(r["id"]))
    gt = data.load_labels(r["id"])
    s0 = data.CANON_DIAMETER / r["diameter"]
    grid = nuclei_eval.resized_shape(x.shape, s0)
    maps = []
    for rr in (a, b):
        p = flipped(m, data.resize(x, nuclei_eval.resized_shape(x.shape, s0 * rr)))
        maps.append(np.stack([data.resize(c, grid) for c in p]))
    out = []
    for p in (maps[0], maps[1], (maps[0] + maps[1]) / 2):
        out.append(data.ap_scores(gt, data.resize(split_instances(p), gt.shape, nearest=True)))
    return out


R_SIZE = (0.4, 0.5, 0.6, 0.77, 1.0, 1.3, 1.67, 2.2)


def found_size(m, r):
    """Found median diameter / (object size x r) at each r of R_SIZE (NaN
    where nothing is found or the resized image exceeds 3 Mpixel)."""
    x = data.prepare(data.load_image(r["id"]))
    s0 = data.CANON_DIAMETER / r["diameter"]
    out = []
    for rr in R_SIZE:
        shape = nuclei_eval.resized_shape(x.shape, s0 * rr)
        if shape[0] * shape[1] > 3e6:
            out.append(np.nan)
            continue
        lab = split_instances(train.predict(m, data.resize(x, shape)))
        dm = data.median_diameter(data.drop_small(lab, 4)) if lab.max() else 0
        out.append(dm / (data.CANON_DIAMETER * rr) if dm else np.nan)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "nuclei.safetensors"))
    ap.add_argument("--split", default="train", choices=("train", "val"))
    ap.add_argument("--modality", default="fluorescence", choices=data.MODALITIES)
    ap.add_argument("--step", type=int, default=6, help="every STEP-th image of the split")
    ap.add_argument("--pair", default=None, help="A,B: two-scale average of r = A and r = B")
    ap.add_argument("--found-size", action="store_true",
                    help="the found objects' size over the true one at r = 0.4 .. 2.2")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    m, _ = nuclei_eval.load_model(args.model)
    rows = [r for r in data.read_split()
            if r["split"] == args.split and r["modality"] == args.modality][::args.step]
    print("# %s, %s split, every %d-th %s image: %d images"
          % (os.path.relpath(args.model, ROOT), args.split, args.step, args.modality, len(rows)))
    if args.pair:
        a, b = (float(v) for v in args.pair.split(","))
        res = np.array([pair(m, r, a, b) for r in rows])  # [image, 3, thresholds]
        for k, name in enumerate(("r = %g, flips" % a, "r = %g, flips" % b, "mean of both")):
            print("%-22s AP@0.5 %.4f  AP %.4f" % (name, res[:, k, 0].mean(), res[:, k].mean()))
        return
    if args.found_size:
        o = np.array([found_size(m, r) for r in rows], float)
        print("r             " + " ".join("%6.2f" % v for v in R_SIZE))
        rows_out = (("found/true", np.nanmedian(o, 0)),
                    ("10th pct", np.nanpercentile(o, 10, 0)),
                    ("90th pct", np.nanpercentile(o, 90, 0)))
        for name, v in rows_out:
            print("%-12s  %s" % (name, " ".join("%6.2f" % x for x in v)))
        return
    res = [scan(m, r) for r in rows]
    ap50 = np.array([x[0][:, 0] for x in res])
    apm = np.array([x[0].mean(1) for x in res])
    print("r       " + " ".join("%6.2f" % v for v in R))
    print("AP@0.5  " + " ".join("%6.4f" % v for v in ap50.mean(0)))
    print("AP      " + " ".join("%6.4f" % v for v in apm.mean(0)))
    print("oracle (the r of best AP@0.5 per image): AP@0.5 %.4f  AP %.4f"
          % (ap50.max(1).mean(), apm[np.arange(len(res)), ap50.argmax(1)].mean()))
    idx = np.arange(len(res))
    n = len(R)

    def report(name, score):
        k = np.argmax(score, 1)
        print("%-34s AP@0.5 %.4f  AP %.4f  r chosen %s"
              % (name, ap50[idx, k].mean(), apm[idx, k].mean(), np.bincount(k, minlength=n)))

    report("fixed r = 1 (the labelled size)", np.tile(-np.abs(np.log(R)), (len(res), 1)))
    report("confidence", np.array([x[2] for x in res]))
    report("low entropy", -np.array([x[3] for x in res]))
    for w in (1, 2):
        sc = np.full((len(res), n), -np.inf)
        for a, x in enumerate(res):
            for i in range(w, n - w):
                sc[a, i] = np.mean([x[1][i, j] for j in range(i - w, i + w + 1) if j != i])
        report("stability, +-%d neighbours" % w, sc)
    dm = np.array([x[4] for x in res])
    for target in (14, 16):
        report("found diameter nearest %d px" % target,
               -np.abs(np.log(np.maximum(dm, 1e-3) / target)))


if __name__ == "__main__":
    main()
