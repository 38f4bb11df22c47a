#!/usr/bin/python3
"""PyTorch side of tools/bench/unet/run, and the benchmark model writer.

  torch_bench.py model OUT.safetensors      write a random-weight model of the
                                            benchmark architecture: 1 -> 3
                                            classes, transposed conv, batch
                                            norm, base and depth from
                                            $UNET_ARCH ("BASE,DEPTH"; default
                                            16,3, the first nuclei network;
                                            10,4 is the shipped one)
  torch_bench.py time SIZE REPS THREADS     best-of-REPS ms (after one warm-up)
                                            of probabilities() on 1x1xSIZExSIZE,
                                            eval mode, no_grad; prints ms= gflops=
  torch_bench.py ref DIR SIZE               write DIR/bench.input.f32 and
                                            DIR/bench.output.f32 (make_vectors.py
                                            format) for unetbench --check
"""
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "train"))
from unet import UNet, flops, save_safetensors  # noqa: E402

_BASE, _DEPTH = (int(v) for v in os.environ.get("UNET_ARCH", "16,3").split(","))
ARCH = dict(in_channels=1, classes=3, base=_BASE, depth=_DEPTH, upsample="transpose",
            norm="batch")


def build():
    torch.manual_seed(1)
    m = UNet(**ARCH)
    for mod in m.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.1, 0.1)
            mod.running_var.uniform_(0.5, 1.5)
    return m.eval()


def main():
    if sys.argv[1] == "model":
        save_safetensors(build(), sys.argv[2])
        return
    if sys.argv[1] == "ref":
        from make_vectors import write_vectors
        rng = np.random.default_rng(7)
        size = int(sys.argv[3])
        img = (0.3 * rng.random((size, size, 1)) + 0.2).astype(np.float32)
        img[size // 4: size // 2, size // 3: size // 2] += 0.4
        write_vectors(sys.argv[2], "bench", build().double(), img, True)
        return
    size, reps, threads = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    m = build()
    x = torch.rand(1, 1, size, size)
    best = 1e30
    with torch.no_grad():
        for r in range(reps + 1):
            t0 = time.perf_counter()
            m.probabilities(x)
            t = time.perf_counter() - t0
            if r:
                best = min(best, t)
    print("ms=%.1f gflops=%.2f" % (best * 1e3, flops(m, size, size) / best * 1e-9))


if __name__ == "__main__":
    main()
