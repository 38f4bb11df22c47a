#!/usr/bin/python3
"""Train figtrace's shipped U-Net models.

    /usr/bin/python3 tools/train/train.py --model nuclei
    /usr/bin/python3 tools/train/train.py --model sketch

nuclei: one gray input channel (see data.py for the RGB conversion, polarity and
percentile normalisation), three classes (background, nucleus interior, nucleus
boundary), trained on 128x128 crops of the train split of
../shared/data/nuclei-dsb2018 resampled so that the image's median nucleus
diameter becomes 16 px (x a log-uniform jitter of 1/1.35..1.35), with flips,
90-degree rotations, gamma, contrast, offset, blur and noise.  Loss: class-weighted
cross-entropy (boundary x2; where two nuclei touch, every nucleus pixel within
2 px of the other one is boundary, weighted x5, so that the interior class
parts touching nuclei) plus a soft Dice term on the interior class.  AdamW
with a one-cycle learning rate over a fixed number of steps; seeds fixed.

After every epoch the script evaluates a fixed subset of the validation split
(VAL_LOG_IMAGES per modality, rescaled to the canonical diameter with the
labelled diameter) and appends AP@0.5 and AP@[0.5:0.95] to
tools/train/logs/<model>.log; the model is written to models/<model>.safetensors
with the canonical object size and input normalisation in its metadata.

sketch: one gray input channel (prepared as for nuclei: inverted when the
background is the bright side - paper always is - then percentile normalised),
one class (sigmoid: ink), a narrower U-Net (base 12, depth 3) for CPU speed.
Data: a pool of synthetic photographs of drawings made once at the start
(tools/train/sketch_data.py: Omniglot strokes and @tabler/icons outline icons,
the sketch benchmark's icons held out and listed in the log; seeded), 128x128
crops with flips and 90-degree rotations.  Loss: binary cross-entropy plus a
soft Dice term on the ink.  After every epoch the IoU of p(ink) > 0.5 with the
truth is measured on 64 validation sheets made with their own seed; the best
epoch is written with input_norm percentile 1..99.8 and no object size (the
library runs it at native scale).

Reproducibility: the sampler, torch and numpy are seeded, the split is
tools/train/split.csv, and the default run is a fixed number of steps.  On a
shared, overloaded CPU, --minutes M instead stretches the cosine learning-rate
decay over M minutes of wall time and stops when they are spent (the number of
steps then depends on the machine's load; the log records it), and --init
continues from a saved model's weights (the optimizer state starts fresh).
--base N trains a wider or narrower network than the configured one (the
model file records its width; the library reads it from there), --depth N a
deeper or shallower one; --depth with --init from a shallower model grows
that model (unet.grow_state_dict: the new levels start unreachable, so
training starts from the old model's function).
--small-weight W weighs the pixels of every nucleus smaller than the
canonical one by sqrt(canonical area / its area), at most W, in the
cross-entropy (its whole area in the image at the crop's scale, so a
nucleus cut by the crop's edge is not taken for a small one); off (0) in
the configured recipe.  --core gives every nucleus too small for an
interior pixel at the crop's scale (about 3 px across) its innermost pixels
as interior in the target, so that it has a seed; off in the configured
recipe.  --wide-scale P:R draws a fraction P of the crops with the scale
jittered by 1/R..R instead, so that the network also learns nuclei far from
the canonical size and reports their size faithfully (the library's first
size estimate can be off); off in the configured recipe.  --crop N trains
on N x N crops instead of 128 x 128 (with --batch, about the same pixels per
step: a deep network's lowest levels then see more image and less padding).
--modality-weights M=W,... sets the training crops' share per modality
(configured: data.MODALITY_WEIGHTS, each modality's images drawn
uniformly); a modality left out is not trained on,
so fluorescence=1 trains a fluorescence specialist.

Where a GPU is lent: --device cuda runs the network there, --workers N makes
the nuclei crops in N processes (each its own sampler, seeded seed + 1000 k;
the batches reach the network in whatever order the workers finish them, so
such a run is reproducible in its recipe, not step by step), --batch and
--steps-per-epoch size the steps and the epochs between validations, and
FIGTRACE_NUCLEI_DATA names a copy of the data inside the checkout (the device
machine gets the checkout only).  tools/train/device_nuclei.sh prepares and
prints such a run.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
import sketch_data  # noqa: E402
from unet import UNet, grow_state_dict, save_safetensors, state_dict_depth  # noqa: E402

CONFIG = {
    "nuclei": dict(base=10, depth=3, crop=128, batch=8, epochs=40, steps_per_epoch=150,
                   lr=3e-3, weight_decay=1e-4, class_weights=(1.0, 1.0, 2.0), touch=2,
                   touch_weight=5.0, small_weight=0.0, core=False, wide=(0.0, 1.0), seed=6,
                   modality_weights=None),
    "sketch": dict(base=12, depth=3, crop=128, batch=12, epochs=35, steps_per_epoch=100,
                   lr=3e-3, weight_decay=1e-4, pool=1500, val=64, seed=61, val_seed=9061),
}
VAL_LOG_IMAGES = {"fluorescence": 14, "histology-he": 8, "brightfield": 2}


def load_items(rows):
    items = []
    for r in rows:
        x = data.prepare(data.load_image(r["id"]))
        lab = data.load_labels(r["id"])
        items.append((x, lab, r["diameter"], r["modality"], r["id"]))
    return items


def device_of(model):
    return next(model.parameters()).device


def predict(model, x):
    """Normalised gray (H, W) -> probabilities [3, H, W] (edge padding to /8)."""
    h, w = x.shape
    m = 1 << model.arch["depth"]
    ph, pw = (-h) % m, (-w) % m
    xp = np.pad(x, ((0, ph), (0, pw)), mode="edge")
    with torch.no_grad():
        xt = torch.from_numpy(xp)[None, None].to(device_of(model))
        p = model.probabilities(xt)[0].cpu().numpy()
    return p[:, :h, :w]


class CropStream(torch.utils.data.IterableDataset):
    """Endless training batches (tensors x, t, w) from make_sampler(k): k 0 in
    this process, k 1..N in DataLoader worker N-1."""

    def __init__(self, make_sampler, batch):
        super().__init__()
        self.make_sampler = make_sampler
        self.batch = batch

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        sampler = self.make_sampler(info.id + 1 if info else 0)
        while True:
            yield tuple(torch.from_numpy(a) for a in sampler.batch(self.batch))


def batch_stream(make_sampler, batch, workers, device):
    """An iterator of training batches: made here in order (workers 0, the
    configured, step-reproducible run) or by worker processes (forked, so the
    images are shared rather than copied), pinned for a GPU."""
    kw = dict(batch_size=None, num_workers=workers, pin_memory=device.type == "cuda")
    if workers:
        kw.update(multiprocessing_context="fork", prefetch_factor=4, persistent_workers=True)
    return iter(torch.utils.data.DataLoader(CropStream(make_sampler, batch), **kw))


def val_subset(rows):
    out = []
    for mod, n in VAL_LOG_IMAGES.items():
        v = sorted((r for r in rows if r["split"] == "val" and r["modality"] == mod),
                   key=lambda r: r["id"])
        out += v[:n]
    return out


def validate(model, items):
    model.eval()
    res = {}
    for x, lab, d, mod, _ in items:
        s = data.CANON_DIAMETER / d
        shape = (max(8, int(round(x.shape[0] * s))), max(8, int(round(x.shape[1] * s))))
        p = predict(model, data.resize(x, shape))
        inst = data.instances(p, min_area=int(0.1 * np.pi * (data.CANON_DIAMETER / 2) ** 2))
        inst = data.resize(inst, lab.shape, nearest=True)
        res.setdefault(mod, []).append(data.ap_scores(lab, inst))
    model.train()
    allv = np.concatenate([np.array(v) for v in res.values()])
    out = {"all": (allv[:, 0].mean(), allv.mean())}
    for mod, v in res.items():
        v = np.array(v)
        out[mod] = (v[:, 0].mean(), v.mean())
    return out


def soft_dice(logits, t, cls):
    p = torch.softmax(logits, 1)[:, cls]
    valid = (t >= 0).float()
    g = (t == cls).float() * valid
    p = p * valid
    return 1 - (2 * (p * g).sum() + 1) / (p.sum() + g.sum() + 1)


def start_model(model, cfg, args, dev):
    """The optimizer and one-cycle schedule for cfg, after loading --init's
    weights into model and moving it to dev; also the number of epochs to
    run."""
    if args.init:
        sd = read_safetensors(args.init)
        if state_dict_depth(sd) < cfg["depth"]:
            sd = grow_state_dict(sd, model)  # a shallower model: --depth grows it
        missing, unexpected = model.load_state_dict(sd, strict=False)
        assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing)
    model.to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    epochs = args.epochs or cfg["epochs"]
    total = epochs * cfg["steps_per_epoch"]
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg["lr"], total_steps=total,
                                                pct_start=0.1)
    return opt, sched, epochs


def open_log(args):
    """say(line): print a line and append it to args.log (a fresh log unless
    continuing with --init); returns say and the open file."""
    os.makedirs(os.path.dirname(args.log), exist_ok=True)
    log = open(args.log, "a" if args.init else "w")

    def say(s):
        print(s, flush=True)
        log.write(s + "\n")
        log.flush()

    return say, log


def run_epochs(args, cfg, model, opt, sched, say, batch_loss, validate_line, save, last_epoch):
    """The training loop both models share.  Epochs of cfg["steps_per_epoch"]
    steps of batch_loss() under the one-cycle schedule, or with --minutes a
    cosine schedule over the wall-clock budget; after each epoch one log line
    (epoch, mean loss, the fields validate_line() returns with its score,
    minutes), the latest weights saved to OUT.last (removed at the end unless
    --keep-last) and the best-scoring ones to OUT by save(path, epoch).
    Stops after last_epoch, or when the budget is spent."""
    best = -1.0
    start = time.time()
    budget = args.minutes * 60
    step = 0
    ep = args.start_epoch
    while True:
        ep += 1
        losses = []
        for _ in range(cfg["steps_per_epoch"]):
            if budget:
                # the wall clock drives a cosine schedule: the same curve as the
                # one-cycle schedule, stretched over whatever steps the budget allows
                frac = min(1.0, (time.time() - start) / budget)
                lr = cfg["lr"] * min(1.0, (step + 1) / 50) * 0.5 * (1 + np.cos(np.pi * frac))
                for grp in opt.param_groups:
                    grp["lr"] = max(lr, cfg["lr"] * 1e-3)
                if frac >= 1.0:
                    break
            loss = batch_loss()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if not budget:
                sched.step()
            losses.append(loss.item())
            step += 1
        if not losses:
            say("# wall-time budget of %g minutes spent after %d steps (epoch %d full)"
                % (args.minutes, step, ep - 1))
            break
        score, fields = validate_line()
        say("%3d  %.4f  %s  %.1f" % (ep, np.mean(losses), fields, (time.time() - start) / 60))
        model.eval()
        save(args.out + ".last", ep)
        if score > best:
            best = score
            save(args.out, ep)
            say("#     saved epoch %d to %s" % (ep, os.path.relpath(args.out, data.ROOT)))
        model.train()
        if budget and len(losses) < cfg["steps_per_epoch"]:
            say("# wall-time budget of %g minutes spent after %d steps (epoch %d partial)"
                % (args.minutes, step, ep))
            break
        if not budget and ep >= last_epoch:
            break
    if not args.keep_last:
        os.remove(args.out + ".last")


def train_nuclei(args):
    cfg = CONFIG["nuclei"]
    torch.set_num_threads(args.threads)
    torch.manual_seed(cfg["seed"])
    np.random.seed(cfg["seed"])
    rows = data.read_split()
    train_rows = [r for r in rows if r["split"] == "train"]
    t0 = time.time()
    items = load_items(train_rows)
    val_items = load_items(val_subset(rows))
    if cfg["modality_weights"]:
        items = [it for it in items if cfg["modality_weights"].get(it[3], 0) > 0]
    crops = [it[:4] for it in items]

    def make_sampler(k):
        return data.CropSampler(crops, crop=cfg["crop"], seed=cfg["seed"] + 1000 * k,
                                touch=cfg["touch"], small_weight=cfg["small_weight"],
                                core=cfg["core"], wide=cfg["wide"],
                                modality_weights=cfg["modality_weights"])

    dev = torch.device(args.device)
    stream = batch_stream(make_sampler, cfg["batch"], args.workers, dev)
    model = UNet(1, 3, base=cfg["base"], depth=cfg["depth"])
    opt, sched, epochs = start_model(model, cfg, args, dev)
    cw = torch.tensor(cfg["class_weights"], device=dev)
    say, log = open_log(args)

    nparam = sum(p.numel() for p in model.parameters())
    say("# nuclei U-Net: base %d depth %d, %d parameters; %d train images, %d val-log images; "
        "crop %d, batch %d, %d epochs x %d steps; canonical diameter %.0f px; touching borders "
        "%d px wide per side, weight %.0f; data loaded in %.0f s"
        % (cfg["base"], cfg["depth"], nparam, len(items), len(val_items), cfg["crop"],
           cfg["batch"], epochs, cfg["steps_per_epoch"], data.CANON_DIAMETER, cfg["touch"],
           cfg["touch_weight"], time.time() - t0))
    if args.init:
        say("# continued from the weights of %s (epoch %d); fresh optimizer"
            % (os.path.relpath(args.init, data.ROOT), args.start_epoch))
    if args.minutes:
        say("# wall-time budget %g minutes: cosine learning rate over the budget" % args.minutes)
    say("# peak learning rate %g" % cfg["lr"])
    if cfg["small_weight"]:
        say("# nuclei smaller than the canonical size weighted up to x%g (sqrt of the area ratio)"
            % cfg["small_weight"])
    if cfg["core"]:
        say("# nuclei too small for an interior pixel given their innermost pixels as interior")
    if cfg["wide"][0] > 0:
        say("# a fraction %g of the crops with the scale jittered by 1/%g..%g"
            % (cfg["wide"][0], cfg["wide"][1], cfg["wide"][1]))
    if cfg["modality_weights"]:
        say("# training crops per modality: %s" % ", ".join(
            "%s %g" % kv for kv in sorted(cfg["modality_weights"].items())))
    if args.device != "cpu" or args.workers:
        say("# device %s, crops made by %d worker processes" % (args.device, args.workers))
    say("# epoch  loss  AP50(all)  AP(all)  AP50/AP fluorescence  histology-he  brightfield  minutes")

    def batch_loss():
        xb, tb, wb = (a.to(dev, non_blocking=True) for a in next(stream))
        logits = model(xb)
        touching = tb == 3
        tb = torch.where(touching, torch.full_like(tb, 2), tb)
        valid = tb >= 0
        ce = F.cross_entropy(logits, tb.clamp(min=0), reduction="none")
        w = cw[tb.clamp(min=0)] * torch.where(touching, cfg["touch_weight"], 1.0) * valid * wb
        return (ce * w).sum() / w.sum().clamp(min=1e-6) + soft_dice(logits, tb, 1)

    def validate_line():
        v = validate(model, val_items)
        return v["all"][1], "%.3f  %.3f  %s" % (
            v["all"][0], v["all"][1],
            "  ".join("%.3f/%.3f" % v.get(m, (float("nan"),) * 2) for m in data.MODALITIES))

    def save(path, ep):
        save_safetensors(model, path, object_size=data.CANON_DIAMETER, train_scale=0.0,
                         norm_low=data.NORM_LOW, norm_high=data.NORM_HIGH, extra=meta_extra(ep))

    run_epochs(args, cfg, model, opt, sched, say, batch_loss, validate_line, save, epochs)
    log.close()


def read_safetensors(path):
    """A figtrace model file -> state_dict (for --init)."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        blob = f.read()
    header.pop("__metadata__", None)
    sd = {}
    for k, v in header.items():
        a, b = v["data_offsets"]
        sd[k] = torch.from_numpy(np.frombuffer(blob[a:b], dtype="<f4").reshape(v["shape"]).copy())
    return sd


def meta_extra(ep):
    return {"name": "nuclei", "classes_names": "background,interior,boundary",
            "polarity": "bright objects; invert gray when the median exceeds the middle of "
                        "the norm_low..norm_high percentile range",
            "gray": "Rec.709 luminance", "epoch": ep,
            "train_data": "nuclei-dsb2018 train split (tools/train/split.csv)"}


def sketch_pool(n, seed, chars, icons):
    """n synthetic sheets -> (prepared inputs float16 [n, S, S], ink masks uint8)."""
    rng = np.random.RandomState(seed)
    xs = np.empty((n, sketch_data.SIZE, sketch_data.SIZE), np.float16)
    ms = np.empty((n, sketch_data.SIZE, sketch_data.SIZE), np.uint8)
    for i in range(n):
        img, mask = sketch_data.sample(chars, icons, rng)
        xs[i] = data.prepare(img.astype(np.float32) / 255.0)
        ms[i] = mask
    return xs, ms


def sketch_batch(xs, ms, rng, batch, crop):
    """Random crops with flips and 90-degree rotations -> (x [B,1,c,c], t [B,1,c,c])."""
    n, s = xs.shape[0], xs.shape[1]
    xb = np.empty((batch, 1, crop, crop), np.float32)
    tb = np.empty((batch, 1, crop, crop), np.float32)
    for b in range(batch):
        i = rng.randint(n)
        y, x = rng.randint(0, s - crop + 1, 2)
        a, m = xs[i, y:y + crop, x:x + crop], ms[i, y:y + crop, x:x + crop]
        k = rng.randint(4)
        a, m = np.rot90(a, k), np.rot90(m, k)
        if rng.rand() < 0.5:
            a, m = a[:, ::-1], m[:, ::-1]
        xb[b, 0], tb[b, 0] = a, m
    return xb, tb


def sketch_validate(model, xs, ms, kinds):
    """IoU of p(ink) > 0.5 with the truth per sheet -> (mean, min, mean per kind)."""
    model.eval()
    ious = []
    with torch.no_grad():
        for i in range(0, xs.shape[0], 16):
            xt = torch.from_numpy(xs[i:i + 16].astype(np.float32))[:, None]
            p = model.probabilities(xt.to(device_of(model))).cpu()
            pred = p[:, 0].numpy() > 0.5
            for j in range(pred.shape[0]):
                t = ms[i + j] > 0
                u = np.logical_or(pred[j], t).sum()
                ious.append(np.logical_and(pred[j], t).sum() / u if u else 1.0)
    model.train()
    ious = np.array(ious)
    per = {k: ious[np.array(kinds) == k].mean() for k in ("icon", "omniglot")}
    return ious.mean(), ious.min(), per


def sketch_meta(ep, held):
    return {"name": "sketch", "classes_names": "ink",
            "polarity": "dark ink on bright paper; gray inverted when the median exceeds "
                        "the middle of the norm_low..norm_high percentile range (always "
                        "for paper), so ink is bright at the input",
            "gray": "Rec.709 luminance", "epoch": ep,
            "train_data": "synthetic photographs of drawings (tools/train/sketch_data.py): "
                          "Omniglot strokes and @tabler/icons outline icons without the %d "
                          "icons of tools/bench/sketches" % len(held)}


def train_sketch(args):
    cfg = CONFIG["sketch"]
    torch.set_num_threads(args.threads)
    torch.manual_seed(cfg["seed"])
    np.random.seed(cfg["seed"])
    t0 = time.time()
    chars = sketch_data.read_omniglot()
    icons, held = sketch_data.training_icons()
    if not icons:
        sys.exit("train: no icons in %s (run tools/bench/sketches/run once, or npm install "
                 "--prefix tools/bench/work @tabler/icons)" % sketch_data.ICONS)
    xs, ms = sketch_pool(cfg["pool"], cfg["seed"], chars, icons)
    # validation sheets: their own seed; kind recorded by replaying the draw
    vx, vm = sketch_pool(cfg["val"], cfg["val_seed"], chars, icons)
    kinds = []
    rng = np.random.RandomState(cfg["val_seed"])
    for _ in range(cfg["val"]):
        st = rng.get_state()
        kinds.append("icon" if rng.rand() < 0.6 else "omniglot")
        rng.set_state(st)
        sketch_data.sample(chars, icons, rng)
    brng = np.random.RandomState(cfg["seed"] + 1)
    dev = torch.device(args.device)
    model = UNet(1, 1, base=cfg["base"], depth=cfg["depth"])
    opt, sched, epochs = start_model(model, cfg, args, dev)
    say, log = open_log(args)

    nparam = sum(p.numel() for p in model.parameters())
    say("# sketch U-Net: base %d depth %d, %d parameters, 1 class (sigmoid: ink); %d training "
        "sheets (seed %d), %d validation sheets (seed %d), %dx%d; crop %d, batch %d, %d epochs x "
        "%d steps; %d Omniglot characters, %d icons; data made in %.0f s"
        % (cfg["base"], cfg["depth"], nparam, cfg["pool"], cfg["seed"], cfg["val"],
           cfg["val_seed"], sketch_data.SIZE, sketch_data.SIZE, cfg["crop"], cfg["batch"],
           epochs, cfg["steps_per_epoch"], len(chars), len(icons), time.time() - t0))
    say("# held out (the icons of tools/bench/sketches at N = %s): %s"
        % ("/".join(str(n) for n in sketch_data.BENCH_N), " ".join(h[:-4] for h in held)))
    if args.init:
        say("# continued from the weights of %s (epoch %d); fresh optimizer"
            % (args.init, args.start_epoch))
    if args.minutes:
        say("# wall-time budget %g minutes: cosine learning rate over the budget" % args.minutes)
    say("# epoch  loss  IoU(mean)  IoU(min)  IoU icons  IoU omniglot  minutes")

    def batch_loss():
        xb, tb = sketch_batch(xs, ms, brng, cfg["batch"], cfg["crop"])
        xb, tb = torch.from_numpy(xb).to(dev), torch.from_numpy(tb).to(dev)
        logits = model(xb)
        p = torch.sigmoid(logits)
        dice = 1 - (2 * (p * tb).sum() + 1) / (p.sum() + tb.sum() + 1)
        return F.binary_cross_entropy_with_logits(logits, tb) + dice

    def validate_line():
        miou, lo, per = sketch_validate(model, vx, vm, kinds)
        return miou, "%.4f  %.4f  %.4f  %.4f" % (miou, lo, per["icon"], per["omniglot"])

    def save(path, ep):
        save_safetensors(model, path, norm_low=data.NORM_LOW, norm_high=data.NORM_HIGH,
                         extra=sketch_meta(ep, held))

    run_epochs(args, cfg, model, opt, sched, say, batch_loss, validate_line, save,
               args.start_epoch + epochs)
    log.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, choices=sorted(CONFIG))
    ap.add_argument("--epochs", type=int, default=0, help="override the configured epochs")
    ap.add_argument("--minutes", type=float, default=0,
                    help="wall-time budget: cosine learning rate over the budget instead of "
                         "the fixed epochs (for a shared CPU; not step-reproducible)")
    ap.add_argument("--init", default=None, help="start from this model file's weights")
    ap.add_argument("--start-epoch", type=int, default=0, help="epoch number to continue from")
    ap.add_argument("--lr", type=float, default=0,
                    help="peak learning rate instead of the configured one (a continued run "
                         "from trained weights may want less)")
    ap.add_argument("--base", type=int, default=0,
                    help="channels of the first level instead of the configured ones (the "
                         "network's width; its cost grows with the square)")
    ap.add_argument("--depth", type=int, default=0,
                    help="levels instead of the configured ones; with --init from a "
                         "shallower model, that model is grown so that training starts from "
                         "its function")
    ap.add_argument("--small-weight", type=float, default=0,
                    help="nuclei: weigh the pixels of nuclei smaller than the canonical size "
                         "up to this factor in the loss (sqrt of the area ratio)")
    ap.add_argument("--core", action="store_true",
                    help="nuclei: give the nuclei too small to have interior pixels in the "
                         "training target (about 3 px across) their innermost pixels as interior")
    ap.add_argument("--wide-scale", default=None, metavar="P:R",
                    help="nuclei: jitter a fraction P of the crops' scale by 1/R..R instead of "
                         "1/1.35..1.35 (e.g. 0.3:2.5), so the network also sees nuclei far from "
                         "the canonical size")
    ap.add_argument("--modality-weights", default=None, metavar="M=W,...",
                    help="nuclei: the training crops' share per modality instead of %s; a "
                         "modality left out is not trained on (e.g. fluorescence=1 for a "
                         "specialist)" % ",".join("%s=%g" % kv for kv in data.MODALITY_WEIGHTS.items()))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu",
                    help="where the network trains: cpu, cuda or cuda:N")
    ap.add_argument("--workers", type=int, default=0,
                    help="nuclei: make the training crops in this many processes (for a GPU; "
                         "0, the default, makes them in order in this one)")
    ap.add_argument("--batch", type=int, default=0, help="crops per step instead of the configured")
    ap.add_argument("--crop", type=int, default=0,
                    help="side of the training crops in px instead of the configured (a "
                         "multiple of 2^depth; larger crops give a deep network's lowest "
                         "levels more image and less padding)")
    ap.add_argument("--steps-per-epoch", type=int, default=0,
                    help="steps between validations instead of the configured")
    ap.add_argument("--out", default=None)
    ap.add_argument("--keep-last", action="store_true",
                    help="keep the last epoch's weights in OUT.last (with --minutes, the end "
                         "of the learning-rate decay)")
    ap.add_argument("--log", default=None)
    args = ap.parse_args()
    args.out = args.out or os.path.join(data.ROOT, "models", args.model + ".safetensors")
    args.log = args.log or os.path.join(data.ROOT, "tools", "train", "logs", args.model + ".log")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    if args.lr:
        CONFIG[args.model]["lr"] = args.lr
    if args.base:
        CONFIG[args.model]["base"] = args.base
    if args.depth:
        CONFIG[args.model]["depth"] = args.depth
    if args.small_weight:
        CONFIG[args.model]["small_weight"] = args.small_weight
    if args.core:
        CONFIG[args.model]["core"] = True
    if args.wide_scale:
        try:
            p, r = (float(v) for v in args.wide_scale.split(":"))
        except ValueError:
            ap.error("--wide-scale takes P:R, e.g. 0.3:2.5")
        if not (0 <= p <= 1 and r >= 1):
            ap.error("--wide-scale: P must be in 0..1 and R at least 1")
        CONFIG[args.model]["wide"] = (p, r)
    if args.modality_weights:
        mw = {}
        for part in args.modality_weights.split(","):
            m, _, w = part.partition("=")
            m = m.strip()
            try:
                mw[m] = float(w)
            except ValueError:
                ap.error("--modality-weights takes M=W,..., e.g. fluorescence=1")
            if m not in data.MODALITIES or mw[m] < 0:
                ap.error("--modality-weights: modalities are %s, weights at least 0"
                         % ", ".join(data.MODALITIES))
        if sum(mw.values()) <= 0:
            ap.error("--modality-weights: at least one weight above 0")
        CONFIG[args.model]["modality_weights"] = mw
    if args.batch:
        CONFIG[args.model]["batch"] = args.batch
    if args.steps_per_epoch:
        CONFIG[args.model]["steps_per_epoch"] = args.steps_per_epoch
    if args.crop:
        if args.crop % (1 << CONFIG[args.model]["depth"]):
            ap.error("--crop must be a multiple of 2^depth (%d)" % (1 << CONFIG[args.model]["depth"]))
        CONFIG[args.model]["crop"] = args.crop
    if args.device.startswith("cuda"):
        torch.backends.cudnn.benchmark = True
    if args.model == "nuclei":
        train_nuclei(args)
    elif args.model == "sketch":
        train_sketch(args)


if __name__ == "__main__":
    main()
