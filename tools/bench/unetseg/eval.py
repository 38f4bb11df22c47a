#!/usr/bin/python3
"""Score the figtrace U-Net segmenter end to end on the nuclei validation split.

For each validation image of ../shared/data/nuclei-dsb2018 (the split in
tools/train/split.csv), resized by each --scales factor (bilinear image,
nearest labels), runs the figtrace program with
  --segment unet:MODEL[,rescale=no] --labels OUT.png
and compares the written label image with the ground truth: AP@0.5 =
TP / (TP + FP + FN) with matches at IoU > 0.5 (the 2018 Data Science Bowl
metric at one threshold), averaged over images, per modality.  Run from
the build tree:

  /usr/bin/python3 tools/bench/unetseg/eval.py --model nuclei --per-modality 10 \
      --max-side 400 --scales 0.5,1,2,3
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DATA = os.path.join(ROOT, "..", "shared", "data", "nuclei-dsb2018")


def ap50(gt, pred):
    g = np.unique(gt[gt > 0])
    p = np.unique(pred[pred > 0])
    if len(g) == 0 and len(p) == 0:
        return 1.0
    if len(g) == 0 or len(p) == 0:
        return 0.0
    # overlaps by joint histogram of (gt, pred) labels
    gi = np.searchsorted(g, gt[gt > 0])
    both = (gt > 0) & (pred > 0)
    inter = {}
    for a, b in zip(gt[both].ravel(), pred[both].ravel()):
        inter[(a, b)] = inter.get((a, b), 0) + 1
    ga = dict(zip(*np.unique(gt[gt > 0], return_counts=True)))
    pa = dict(zip(*np.unique(pred[pred > 0], return_counts=True)))
    del gi
    tp = 0
    for (a, b), n in inter.items():
        if n / (ga[a] + pa[b] - n) > 0.5:
            tp += 1
    return tp / (len(g) + len(p) - tp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="nuclei")
    ap.add_argument("--figtrace", default=os.path.join(ROOT, "figtrace"))
    ap.add_argument("--split", default=os.path.join(ROOT, "tools", "train", "split.csv"))
    ap.add_argument("--scales", default="0.5,1,2,3")
    ap.add_argument("--per-modality", type=int, default=10)
    ap.add_argument("--max-side", type=int, default=0, help="skip larger images (0: none)")
    args = ap.parse_args()
    rows = [r for r in csv.DictReader(open(args.split)) if r["split"] == "val"]
    if args.max_side:
        keep = []
        for r in rows:
            w, h = Image.open(os.path.join(DATA, "images", r["id"] + ".png")).size
            if max(w, h) <= args.max_side:
                keep.append(r)
        rows = keep
    chosen, count = [], {}
    for r in rows:
        if count.get(r["modality"], 0) < args.per_modality:
            chosen.append(r)
            count[r["modality"]] = count.get(r["modality"], 0) + 1
    tmp = tempfile.mkdtemp()
    print("images:", count)
    for scale in [float(s) for s in args.scales.split(",")]:
        for rescale in ("yes", "no"):
            res = {}
            for r in chosen:
                img = Image.open(os.path.join(DATA, "images", r["id"] + ".png"))
                lab = np.asarray(Image.open(os.path.join(DATA, "labels", r["id"] + ".png")))
                if scale != 1:
                    w, h = img.size
                    size = (max(1, round(w * scale)), max(1, round(h * scale)))
                    img = img.resize(size, Image.BILINEAR)
                    lab = np.asarray(Image.fromarray(lab.astype(np.int32)).resize(size, Image.NEAREST))
                inp = os.path.join(tmp, "in.png")
                img.save(inp)
                out = os.path.join(tmp, "lab.png")
                if os.path.exists(out):
                    os.remove(out)
                spec = "unet:%s%s" % (args.model, "" if rescale == "yes" else ",rescale=no")
                p = subprocess.run([args.figtrace, "-q", "--segment", spec, "--labels", out,
                                    "-o", os.path.join(tmp, "o.svg"), inp],
                                   capture_output=True, text=True)
                if p.returncode != 0:
                    print("figtrace failed:", p.stderr.strip(), file=sys.stderr)
                    score = 0.0
                else:
                    score = ap50(lab.astype(np.int64), np.asarray(Image.open(out)).astype(np.int64))
                res.setdefault(r["modality"], []).append(score)
            allv = [v for vs in res.values() for v in vs]
            print("scale x%-4g rescale=%-3s AP50 all %.3f  %s" % (
                scale, rescale, np.mean(allv),
                "  ".join("%s %.3f" % (m, np.mean(v)) for m, v in sorted(res.items()))),
                flush=True)


if __name__ == "__main__":
    main()
