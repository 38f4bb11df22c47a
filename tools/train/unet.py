#!/usr/bin/python3
"""The figtrace U-Net in PyTorch, and a writer for its safetensors model files.

The network is the one src/nn/run.c evaluates (see the comment there):
per level l < depth two 3x3 conv (+ batch norm) + ReLU with base << l
channels and a 2x2 max-pool, a middle block, then per level an up-sampling
(2x2 stride-2 transposed conv, or nearest 2x + 1x1 conv), concatenation
[skip, up] and two 3x3 conv + ReLU, and a 1x1 head.  forward() returns
logits; probabilities() applies softmax (or sigmoid for one class), which is
what the C engine returns.

save_safetensors() writes the format by hand: u64 little-endian header
length, a JSON header (tensor name -> dtype, shape, data_offsets, plus
"__metadata__" with the architecture), then raw little-endian float32 data.
Batch-norm parameters are stored as PyTorch keeps them; the C loader folds
them into the convolutions.
"""
import json
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBN(nn.Module):
    """3x3 conv, optional batch norm, ReLU. Tensor names: conv.*, bn.*."""

    def __init__(self, cin, cout, batch_norm):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=not batch_norm)
        self.bn = nn.BatchNorm2d(cout) if batch_norm else None

    def forward(self, x):
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x)
        return F.relu(x)


class Head(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, in_channels=1, classes=3, base=16, depth=3,
                 upsample="transpose", norm="batch"):
        super().__init__()
        assert upsample in ("transpose", "nearest") and norm in ("batch", "none")
        self.arch = dict(in_channels=in_channels, classes=classes, base_channels=base,
                         depth=depth, upsample=upsample, norm=norm)
        bn = norm == "batch"
        ch = [base << l for l in range(depth + 1)]
        self.enc = nn.ModuleList()
        self.dec = nn.ModuleList()
        self.up = nn.ModuleList()
        for l in range(depth):
            cin = in_channels if l == 0 else ch[l - 1]
            self.enc.append(nn.Sequential(ConvBN(cin, ch[l], bn), ConvBN(ch[l], ch[l], bn)))
            self.dec.append(nn.Sequential(ConvBN(2 * ch[l], ch[l], bn), ConvBN(ch[l], ch[l], bn)))
            if upsample == "transpose":
                self.up.append(nn.ConvTranspose2d(ch[l + 1], ch[l], 2, stride=2))
            else:
                self.up.append(nn.Conv2d(ch[l + 1], ch[l], 1))
        self.mid = nn.Sequential(ConvBN(ch[depth - 1], ch[depth], bn),
                                 ConvBN(ch[depth], ch[depth], bn))
        self.head = Head(base, classes)

    def forward(self, x):
        """x: [N, in_channels, H, W] with H, W multiples of 2**depth -> logits."""
        skips = []
        for block in self.enc:
            x = block(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.mid(x)
        for l in reversed(range(len(self.enc))):
            if self.arch["upsample"] == "transpose":
                x = self.up[l](x)
            else:
                x = self.up[l](F.interpolate(x, scale_factor=2, mode="nearest"))
            x = self.dec[l](torch.cat([skips[l], x], dim=1))
        return self.head(x)

    def probabilities(self, x):
        y = self.forward(x)
        return torch.sigmoid(y) if y.shape[1] == 1 else torch.softmax(y, dim=1)


def passthrough_unet(classes):
    """A one-level U-Net (base 1, no normalisation) whose body passes its input
    through to the head unchanged: every 3x3 convolution has centre tap 1, the
    decoder keeps only the skip connection, everything else is zero.  Test
    fixtures set the 1x1 head (m.head.conv) to make a per-pixel intensity
    classifier."""
    m = UNet(in_channels=1, classes=classes, base=1, depth=1, upsample="transpose", norm="none")
    with torch.no_grad():
        for p in m.parameters():
            p.zero_()
        for conv in (m.enc[0][0].conv, m.enc[0][1].conv, m.dec[0][1].conv):
            conv.weight[0, 0, 1, 1] = 1.0
        m.dec[0][0].conv.weight[0, 0, 1, 1] = 1.0  # channel 0 of [skip, up] is the skip
    return m


def state_dict_depth(sd):
    """The number of levels of the U-Net whose state_dict is sd."""
    return 1 + max(int(k.split(".")[1]) for k in sd if k.startswith("enc."))


def grow_state_dict(sd, model):
    """A shallower U-Net's state_dict sd (same base and classes, batch norm)
    extended to model's depth so that model computes the same function in
    eval mode: the old middle block becomes the encoder of the old depth, the
    decoder of that level passes its skip connection through (centre-tap
    identity kernels, batch norm set to the identity; the skip is a ReLU
    output, so the ReLU keeps it), and everything below is reached only
    through that decoder's zero weights on the up-sampled half.  Training then
    grows the new levels from zero.  Returns the extended state_dict."""
    new = {k: v.clone() for k, v in model.state_dict().items()}
    d0 = state_dict_depth(sd)
    d = model.arch["depth"]
    assert d > d0 and model.arch["norm"] == "batch"
    for k, v in sd.items():
        k2 = "enc.%d.%s" % (d0, k[4:]) if k.startswith("mid.") else k
        assert k2 in new and new[k2].shape == v.shape, k
        new[k2] = v.clone()
    c = model.arch["base_channels"] << d0
    for i, cin in ((0, 2 * c), (1, c)):
        w = torch.zeros(c, cin, 3, 3)
        w[torch.arange(c), torch.arange(c), 1, 1] = 1.0
        pre = "dec.%d.%d." % (d0, i)
        new[pre + "conv.weight"] = w
        new[pre + "bn.weight"] = torch.ones(c)
        new[pre + "bn.bias"] = torch.zeros(c)
        new[pre + "bn.running_mean"] = torch.zeros(c)
        new[pre + "bn.running_var"] = torch.full((c,), 1.0 - 1e-5)  # var + eps = 1
    return new


def flops(model, h, w):
    """Multiply-adds x 2 of one forward pass at h x w (as ft_model_flops)."""
    a = model.arch
    d, b = a["depth"], a["base_channels"]
    ch = [b << l for l in range(d + 1)]
    f = 0.0
    for l in range(d):
        hw = h * w / 4 ** l
        cin = a["in_channels"] if l == 0 else ch[l - 1]
        f += 2 * 9 * hw * (cin * ch[l] + ch[l] * ch[l])          # encoder
        f += 2 * 9 * hw * (2 * ch[l] * ch[l] + ch[l] * ch[l])    # decoder
        f += 2 * ch[l + 1] * ch[l] * (4 if a["upsample"] == "transpose" else 1) * hw / 4
    hw = h * w / 4 ** d
    f += 2 * 9 * hw * (ch[d - 1] * ch[d] + ch[d] * ch[d])
    return f + 2 * b * a["classes"] * h * w


def percentile_normalize(x, low=1.0, high=99.8):
    """The input normalisation ft_model_run applies when input_norm is percentile."""
    x = np.asarray(x, dtype=np.float32)
    lo, hi = np.percentile(x, low), np.percentile(x, high)
    return ((x.astype(np.float64) - lo) / max(hi - lo, 1e-6)).astype(np.float32)


def save_safetensors(model, path, input_norm="percentile", norm_low=1.0, norm_high=99.8,
                     object_size=0.0, train_scale=0.0, extra=None):
    """Write model's state_dict (float32) and architecture to path."""
    meta = {"format": "figtrace-unet", "version": "1"}
    meta.update({k: str(v) for k, v in model.arch.items()})
    meta.update(input_norm=input_norm, norm_low=repr(float(norm_low)),
                norm_high=repr(float(norm_high)), object_size=repr(float(object_size)),
                train_scale=repr(float(train_scale)), bn_eps="1e-05")
    if extra:
        meta.update({k: str(v) for k, v in extra.items()})
    tensors = {}
    for name, t in model.state_dict().items():
        if name.endswith("num_batches_tracked"):
            continue
        tensors[name] = t.detach().cpu().to(torch.float32).contiguous().numpy()
    write_safetensors(path, tensors, meta)


def write_safetensors(path, tensors, meta):
    """tensors: name -> float32 numpy array; meta: str -> str."""
    header = {"__metadata__": meta}
    blobs, off = [], 0
    for name, a in tensors.items():
        raw = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)  # align the data to 8 bytes, as the reference writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
