#!/usr/bin/python3
"""Write the U-Net parity fixtures to tests/data/nn/.

Two tiny random-weight models (a few KB each) with random batch-norm
statistics, so folding is exercised:
  tiny_transpose.safetensors  depth 2, base 4, 1 -> 3 classes, transposed conv,
                              batch norm, percentile input normalisation
  tiny_nearest.safetensors    depth 2, base 3, 3 -> 1 class (sigmoid), nearest
                              up-sampling, no batch norm, no input normalisation
and for each an input image and PyTorch's probabilities:
  NAME.input.f32   int32 h, w, c then h*w*c float32 (interleaved, as ft_image)
  NAME.output.f32  int32 classes, h, w then float32 [classes][h][w]
The input size is odd, so the engine's edge padding is covered: the
reference pads exactly as ft_model_run does (edge replication to a multiple
of 2**depth) and crops.

Usage: /usr/bin/python3 tools/train/make_vectors.py [OUTDIR]
"""
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unet import UNet, percentile_normalize, save_safetensors  # noqa: E402


def randomize_bn(model, g):
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            n = m.num_features
            m.weight.data = torch.rand(n, generator=g) + 0.5
            m.bias.data = torch.randn(n, generator=g) * 0.1
            m.running_mean.data = torch.randn(n, generator=g) * 0.1
            m.running_var.data = torch.rand(n, generator=g) + 0.5


def reference(model, img, normalize):
    """img [h][w][c] float32 -> probabilities [classes][h][w], as ft_model_run."""
    h, w, c = img.shape
    x = img.transpose(2, 0, 1)
    if normalize:
        x = percentile_normalize(x)
    a = 1 << model.arch["depth"]
    hp, wp = -(-h // a) * a, -(-w // a) * a
    x = np.pad(x, ((0, 0), (0, hp - h), (0, wp - w)), mode="edge")
    with torch.no_grad():
        y = model.probabilities(torch.from_numpy(np.ascontiguousarray(x))[None].double())
    return y[0, :, :h, :w].float().numpy()


def write(outdir, name, model, img, normalize):
    save_safetensors(model, os.path.join(outdir, name + ".safetensors"),
                     input_norm="percentile" if normalize else "none",
                     object_size=12.0, train_scale=1.0)
    write_vectors(outdir, name, model, img, normalize)


def write_vectors(outdir, name, model, img, normalize):
    """NAME.input.f32 and NAME.output.f32 for model (float64) on img [h][w][c]."""
    h, w, c = img.shape
    with open(os.path.join(outdir, name + ".input.f32"), "wb") as f:
        f.write(struct.pack("<3i", h, w, c))
        f.write(img.astype("<f4").tobytes())
    out = reference(model, img, normalize)
    with open(os.path.join(outdir, name + ".output.f32"), "wb") as f:
        f.write(struct.pack("<3i", *out.shape))
        f.write(out.astype("<f4").tobytes())


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data", "nn")
    os.makedirs(outdir, exist_ok=True)
    g = torch.Generator().manual_seed(5)
    torch.manual_seed(5)
    rng = np.random.default_rng(5)

    m = UNet(in_channels=1, classes=3, base=4, depth=2, upsample="transpose", norm="batch")
    randomize_bn(m, g)
    m.eval()
    img = (rng.random((37, 29, 1)) * 0.6 + 0.2).astype(np.float32)
    img[10:20, 5:15] += 0.3
    write(outdir, "tiny_transpose", m.double(), np.clip(img, 0, 1), True)

    m = UNet(in_channels=3, classes=1, base=3, depth=2, upsample="nearest", norm="none")
    m.eval()
    img = rng.random((21, 26, 3)).astype(np.float32)
    write(outdir, "tiny_nearest", m.double(), img, False)


if __name__ == "__main__":
    main()
