#!/usr/bin/python3
"""Write tests/data/unetseg/ramp3.safetensors, a hand-set 3-class U-Net fixture,
and ramp1.safetensors, its one-class (ink) sibling.

The weights make the network a per-pixel intensity classifier, so the tests
of the segmenter glue (polarity, rescaling, instance splitting, the CLI) see
a model whose output follows the image: every 3x3 convolution passes its
input through (centre tap 1), the decoder keeps only the skip connection,
and the 1x1 head maps the normalised intensity x to the logits
  background = K (0.35 - x),  interior = K (x - 0.65),  boundary = 0,
so dark pixels are background, bright ones interior and the blurred rims in
between boundary - which is also what separates two blurred touching discs.
Metadata: percentile input normalisation (1, 99.8) and object_size 16 px.

ramp1 has one class, the ink logit K (x - 0.5) (ink where the normalised,
polarity-corrected intensity exceeds one half), and no object_size, like
the sketch model: the tests of the stroke-width rule use it.

Run: /usr/bin/python3 tests/data/unetseg/make_fixture.py
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tools", "train"))
from unet import passthrough_unet, save_safetensors  # noqa: E402

K = 20.0


def main():
    m = passthrough_unet(3)
    with torch.no_grad():
        m.head.conv.weight[:, 0, 0, 0] = torch.tensor([-K, K, 0.0])
        m.head.conv.bias[:] = torch.tensor([0.35 * K, -0.65 * K, 0.0])
    save_safetensors(m, os.path.join(HERE, "ramp3.safetensors"), input_norm="percentile",
                     norm_low=1.0, norm_high=99.8, object_size=16.0, train_scale=1.0,
                     extra={"name": "ramp3", "classes_names": "background,interior,boundary"})
    m = passthrough_unet(1)
    with torch.no_grad():
        m.head.conv.weight[:, 0, 0, 0] = torch.tensor([K])
        m.head.conv.bias[:] = torch.tensor([-0.5 * K])
    save_safetensors(m, os.path.join(HERE, "ramp1.safetensors"), input_norm="percentile",
                     norm_low=1.0, norm_high=99.8, object_size=0.0, train_scale=0.0,
                     extra={"name": "ramp1", "classes_names": "ink"})


if __name__ == "__main__":
    main()
