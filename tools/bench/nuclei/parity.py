#!/usr/bin/python3
"""Check that figtrace's C engine loads the shipped nuclei model and agrees with PyTorch.

    /usr/bin/python3 tools/bench/nuclei/parity.py [MODEL] [UNETBENCH]

Writes make_vectors.py-style vectors (input image and PyTorch float64
probabilities, percentile normalisation and edge padding as ft_model_run
applies them) for one polarity-corrected validation image to a temporary
folder, then runs `unetbench --check MODEL INPUT OUTPUT` (built by
`make tools/bench/unet/unetbench`), which prints the largest absolute
difference.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools", "train"))
sys.path.insert(0, HERE)
import data  # noqa: E402
from eval import load_model  # noqa: E402
from make_vectors import write_vectors  # noqa: E402


def main():
    model_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "models", "nuclei.safetensors")
    bench = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "tools", "bench", "unet", "unetbench")
    model, meta = load_model(model_path)
    row = next(r for r in data.read_split() if r["split"] == "val" and r["modality"] == "histology-he")
    g = data.load_image(row["id"])
    if data.bright_background(g):
        g = 1.0 - g
    g = g[:203, :157]  # odd size: exercises the engine's edge padding
    with tempfile.TemporaryDirectory() as d:
        write_vectors(d, "nuclei", model.double(), g[:, :, None].astype(np.float32), True)
        out = subprocess.run([bench, "--check", model_path, os.path.join(d, "nuclei.input.f32"),
                              os.path.join(d, "nuclei.output.f32")],
                             capture_output=True, text=True)
    print("image %s (203x157 crop), metadata object_size=%s input_norm=%s norm=%s..%s: %s"
          % (row["id"][:12], meta["object_size"], meta["input_norm"], meta["norm_low"],
             meta["norm_high"], (out.stdout + out.stderr).strip()))
    sys.exit(out.returncode)


if __name__ == "__main__":
    main()
