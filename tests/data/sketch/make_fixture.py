#!/usr/bin/python3
"""Write tests/data/sketch/sketch.safetensors, a hand-set one-class U-Net fixture
named like the shipped ink model, so a test can put it in the model's place with
FIGTRACE_MODEL_PATH=tests/data/sketch.

The weights make the network a per-pixel intensity classifier: every 3x3
convolution passes its input through (centre tap 1), the decoder keeps only the
skip connection, and the 1x1 head maps the normalised input x to the ink logit
K (x - 0.5).  The segmenter inverts paper-bright images before the network (the
shipped model's polarity rule), so ink, dark on the page, is bright at the input
and comes out where its normalised darkness exceeds one half.  Metadata:
percentile input normalisation (1, 99.8), no object size (no rescaling), as the
shipped model.

Run: /usr/bin/python3 tests/data/sketch/make_fixture.py
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tools", "train"))
from unet import passthrough_unet, save_safetensors  # noqa: E402

K = 20.0


def main():
    m = passthrough_unet(1)
    with torch.no_grad():
        m.head.conv.weight[0, 0, 0, 0] = K
        m.head.conv.bias[0] = -0.5 * K
    save_safetensors(m, os.path.join(HERE, "sketch.safetensors"), input_norm="percentile",
                     norm_low=1.0, norm_high=99.8,
                     extra={"name": "sketch (test fixture)", "classes_names": "ink"})


if __name__ == "__main__":
    main()
