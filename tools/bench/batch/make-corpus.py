#!/usr/bin/python3
"""tools/bench/batch/make-corpus.py - the batch benchmark's input folder.

    make-corpus.py OUTDIR [COUNT]

Writes COUNT (default 500) images into OUTDIR/img/, cycling through PNG,
JPEG (quality 90) and TIFF (deflate), each a nuclei image from
../shared/data/nuclei-dsb2018 or one of the samples, converted to gray and
resized to a side drawn uniformly from 256..2048 pixels (aspect kept, both
sides at least 256) with a fixed seed; and the same pictures as bitonal PBM
in OUTDIR/pbm/ for potrace, thresholded with Otsu's method and with the
minority side as black, which is what figtrace's default threshold does.
"""
import glob
import os
import random
import sys

import numpy as np
from PIL import Image
from skimage.filters import threshold_otsu

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def sources():
    nuclei = sorted(glob.glob(os.path.join(TOP, "..", "shared", "data", "nuclei-dsb2018", "images",
                                           "*.png")))
    samples = [os.path.join(TOP, "samples", n)
               for n in ("diagram.png", "sketch.jpg", "logo.pnm", "nuclei.tif")]
    return nuclei[:200] + samples * 10


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    rng = random.Random(9)
    src = sources()
    os.makedirs(os.path.join(out, "img"), exist_ok=True)
    os.makedirs(os.path.join(out, "pbm"), exist_ok=True)
    total = 0
    for i in range(count):
        im = Image.open(src[rng.randrange(len(src))])
        if im.mode in ("I;16", "I;16B", "I"):
            a = np.asarray(im, dtype=np.float64)
            a = (a - a.min()) / max(a.max() - a.min(), 1) * 255
            im = Image.fromarray(a.astype(np.uint8))
        im = im.convert("L")
        side = rng.randint(256, 2048)
        w, h = im.size
        s = side / max(w, h)
        size = (max(256, round(w * s)), max(256, round(h * s)))
        im = im.resize(size, Image.BILINEAR)
        total += size[0] * size[1]
        kind = ("png", "jpg", "tif")[i % 3]
        name = os.path.join(out, "img", "%03d.%s" % (i, kind))
        if kind == "png":
            im.save(name)
        elif kind == "jpg":
            im.save(name, quality=90)
        else:
            im.save(name, compression="tiff_deflate")
        # potrace's input: the decoded picture (JPEG artefacts included).
        a = np.asarray(Image.open(name).convert("L"))
        ink = a > threshold_otsu(a) if a.min() != a.max() else np.zeros(a.shape, bool)
        if ink.mean() > 0.5:
            ink = ~ink
        Image.fromarray(~ink).convert("1").save(os.path.join(out, "pbm", "%03d.pbm" % i))
    print("%d images, %.1f megapixels in all" % (count, total / 1e6))


if __name__ == "__main__":
    main()
