#!/usr/bin/env python3
"""Exports MTLFace (Huang, Zhang, Shan; CVPR 2021) from YOUR OWN checkout and checkpoint to Homeward model packages.

    /usr/bin/python3 deploy/models/export_mtlface.py --checkout ~/src/MTLFace --checkpoint ~/mtlface.pth \
        --out /var/lib/homeward/models [--device cpu|cuda] [--batch 7]

Writes two TorchScript packages (manifest.json with checksums, model.pt):
  mtlface-ager-v1      task age-generator: image [B,3,112,112] in [-1,1] + int64 age group [B] (MTLFace's 7 groups)
                       -> image [B,3,112,112] in [-1,1]; B is fixed by the trace (7: one face at all seven groups).
                       Homeward runs it with org.homeward.projections.ageing.GeneratorProjector
                       (homeward.projections.model=mtlface-ager-v1, on the GPU with homeward.models.device=gpu).
  mtlface-embedder-v1  task face-embedding: image [N,3,112,112] -> embedding [N,512] (unit length), age [N],
                       age-group logits [N,7]; any N. (Homeward has no Java reader for it yet.)

Nothing of MTLFace is copied into Homeward: its repository has no licence file, so this script imports the model
definition from the checkout you give (python_package/mtlface, the package the released checkpoint matches) and
writes the packages on your machine only. Facts used: ../shared/design/mtlface.md.

Two StyleGAN2 operations in the checkout compile CUDA extensions when imported (stylegan2/op). The script never
imports them: it registers plain PyTorch versions under the same module name first (fused leaky ReLU with its
parameter named `bias`, so the checkpoint's keys still match; upfirdn2d as zero-insertion, padding, a flipped FIR
convolution and striding). The decoder's stored noise buffers are used (no random noise), so projections repeat.
torch.jit.trace is used (torch.jit.script does not handle the model); each traced module is checked against the
eager model on a random input before it is written.
"""
import argparse
import datetime
import hashlib
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import types

import torch
import torch.nn.functional as F
from torch import nn

GROUPS = ["0-10", "11-20", "21-30", "31-40", "41-50", "51-60", "61+"]
SIZE = 112


# ---- plain PyTorch replacements for the checkout's CUDA-only StyleGAN2 ops --------------------------------------

class FusedLeakyReLU(nn.Module):
    """bias add, leaky ReLU, gain: the activation of StyleGAN2's styled convolutions."""

    def __init__(self, channel, negative_slope=0.2, scale=2 ** 0.5):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(channel))
        self.negative_slope = negative_slope
        self.scale = scale

    def forward(self, x):
        return fused_leaky_relu(x, self.bias, self.negative_slope, self.scale)


def fused_leaky_relu(x, bias, negative_slope=0.2, scale=2 ** 0.5):
    shape = [1, bias.shape[0]] + [1] * (x.dim() - 2)
    return F.leaky_relu(x + bias.view(shape), negative_slope) * scale


def upfirdn2d(x, kernel, up=1, down=1, pad=(0, 0)):
    """Upsample by inserting zeros, pad (negative pads crop), filter with the kernel (flipped: a true convolution),
    downsample by striding; the same padding on both axes, as the checkout's callers use it."""
    pad0, pad1 = pad
    n, c, h, w = x.shape
    kh, kw = kernel.shape
    y = x.reshape(n * c, 1, h, w)
    if up > 1:
        y = y.reshape(n * c, 1, h, 1, w, 1)
        y = F.pad(y, [0, up - 1, 0, 0, 0, up - 1])
        y = y.reshape(n * c, 1, h * up, w * up)
    y = F.pad(y, [max(pad0, 0), max(pad1, 0), max(pad0, 0), max(pad1, 0)])
    y = y[:, :, max(-pad0, 0):y.shape[2] - max(-pad1, 0), max(-pad0, 0):y.shape[3] - max(-pad1, 0)]
    weight = torch.flip(kernel, [0, 1]).reshape(1, 1, kh, kw).to(y.dtype)
    y = F.conv2d(y, weight)
    y = y[:, :, ::down, ::down]
    return y.reshape(n, c, y.shape[2], y.shape[3])


def import_checkout(checkout):
    """MTLFace's inference package from the checkout, with the op replacements registered first. The package's
    __init__ is not run (it may pull in the demo's face detector); its modules are imported by name."""
    root = os.path.join(checkout, "python_package", "mtlface")
    if not os.path.isfile(os.path.join(root, "modules.py")):
        sys.exit(f"error: {root}/modules.py not found: give --checkout the folder of your clone of Hzzone/MTLFace")
    for name, path in (("mtlface", root), ("mtlface.stylegan2", os.path.join(root, "stylegan2"))):
        package = types.ModuleType(name)
        package.__path__ = [path]
        sys.modules[name] = package
    op = types.ModuleType("mtlface.stylegan2.op")
    op.FusedLeakyReLU = FusedLeakyReLU
    op.fused_leaky_relu = fused_leaky_relu
    op.upfirdn2d = upfirdn2d
    sys.modules["mtlface.stylegan2.op"] = op
    return importlib.import_module("mtlface.modules")


# ---- the two exported modules ----------------------------------------------------------------------------------

class Ager(nn.Module):
    """Encoder + identity-conditional age routing + StyleGAN2 decoder, with the stored noise: image, group -> image."""

    def __init__(self, model):
        super().__init__()
        self.encoder = model.encoder
        self.decoder = model.decoder

    def forward(self, image, age_group):
        x_id, _, _, c1, c2, c3 = self.encoder.encode(image)
        latents = self.encoder.get_conditions(c1, c2, c3, x_id, age_group)
        codes = latents + self.decoder.latent_avg
        images, _ = self.decoder.decoder([codes], input_is_latent=True, randomize_noise=False)
        images = F.interpolate(images, size=SIZE, mode="bilinear", align_corners=True)
        return images.clamp(-1.0, 1.0)


class Embedder(nn.Module):
    """Backbone + attention + output layer + age head: image -> unit embedding, age, age-group logits."""

    def __init__(self, model):
        super().__init__()
        self.encoder = model.encoder
        self.age_estimator = model.age_estimator

    def forward(self, image):
        _, x_vec, x_age, _, _, _ = self.encoder.encode(image)
        age, group = self.age_estimator(x_age)
        return x_vec, age, group


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def checkout_commit(checkout):
    try:
        return subprocess.run(["git", "-C", checkout, "rev-parse", "HEAD"], check=True, capture_output=True,
                              text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def write_package(out, name, traced, manifest):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.pt")
    traced.save(path)
    manifest["files"] = {"model.pt": {"sha256": sha256(path), "bytes": os.path.getsize(path)}}
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"wrote {folder} ({os.path.getsize(path) / 1e6:.1f} MB)")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkout", required=True, help="your clone of https://github.com/Hzzone/MTLFace")
    p.add_argument("--checkpoint", required=True, help="the released checkpoint (a state_dict of MTLFace)")
    p.add_argument("--out", required=True, help="the model folder (e.g. /var/lib/homeward/models)")
    p.add_argument("--device", default="cpu", help="trace on this device (cpu or cuda)")
    p.add_argument("--batch", type=int, default=len(GROUPS), help="the ager's batch size, fixed by the trace")
    args = p.parse_args()

    modules = import_checkout(os.path.abspath(args.checkout))
    model = modules.MTLFace()
    state = torch.load(args.checkpoint, map_location="cpu")
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    state = {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        sys.exit(f"error: the checkpoint does not match python_package/mtlface: {len(missing)} missing keys "
                 f"(e.g. {missing[:3]}), {len(unexpected)} unexpected (e.g. {unexpected[:3]})")
    model = model.eval().to(args.device)
    print(f"loaded {len(state)} tensors, {sum(t.numel() for t in model.parameters()) / 1e6:.1f} M parameters")

    torch.manual_seed(0)
    source = {
        "project": "MTLFace (Huang, Zhang, Shan: CVPR 2021; TPAMI 2022, arXiv 2210.09835)",
        "repository": "https://github.com/Hzzone/MTLFace",
        "checkout_commit": checkout_commit(args.checkout),
        "checkpoint_sha256": sha256(args.checkpoint),
        "exported_by": "deploy/models/export_mtlface.py",
        "exported_at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "torch": torch.__version__,
    }
    licence = ("The MTLFace repository carries no licence file: these weights and this traced code are for the user's own"
               " use under whatever terms the authors grant; Homeward does not distribute them.")
    alignment = ("112x112 RGB, the face placed by a similarity transform onto the ArcFace 5-point template (Homeward: the"
                 " eye centres of dlib's landmarks onto the template's eyes), scaled to [-1, 1] (x / 127.5 - 1)")

    with torch.no_grad():
        faces = torch.rand(args.batch, 3, SIZE, SIZE, device=args.device) * 2 - 1
        groups = torch.arange(args.batch, device=args.device, dtype=torch.int64) % len(GROUPS)
        ager = Ager(model).eval()
        traced_ager = torch.jit.trace(ager, (faces, groups), check_trace=False)
        difference = (traced_ager(faces, groups) - ager(faces, groups)).abs().max().item()
        print(f"ager: traced at batch {args.batch}, largest difference from the eager model {difference:.2e}")
        if difference > 1e-3:
            sys.exit("error: the traced ager does not reproduce the model")
        write_package(args.out, "mtlface-ager-v1", traced_ager, {
            "name": "mtlface-ager-v1", "version": "1.0.0", "task": "age-generator", "format": "torchscript",
            "licence": "LicenseRef-MTLFace-unlicensed", "licence_note": licence, "model_file": "model.pt",
            "input": {
                "image": {"shape": [args.batch, 3, SIZE, SIZE], "dtype": "float32", "value_range": [-1, 1],
                          "channel_order": "RGB", "alignment": alignment},
                "age_group": {"shape": [args.batch], "dtype": "int64", "groups": GROUPS},
            },
            "output": {"image": {"shape": [args.batch, 3, SIZE, SIZE], "dtype": "float32", "value_range": [-1, 1]}},
            "method": "MTLFace face age synthesis: encoder (IR-50 + attention), identity-conditional age routing at three"
                      " scales, StyleGAN2 decoder at 128 resized to 112, stored noise buffers",
            "source": source,
        })

        embedder = Embedder(model).eval()
        traced_embedder = torch.jit.trace(embedder, faces[:2], check_trace=False)
        got = traced_embedder(faces[:3])
        want = embedder(faces[:3])
        difference = max((a - b).abs().max().item() for a, b in zip(got, want))
        print(f"embedder: any batch (checked at 3 after tracing at 2), largest difference {difference:.2e}")
        if difference > 1e-3:
            sys.exit("error: the traced embedder does not reproduce the model")
        write_package(args.out, "mtlface-embedder-v1", traced_embedder, {
            "name": "mtlface-embedder-v1", "version": "1.0.0", "task": "face-embedding", "format": "torchscript",
            "licence": "LicenseRef-MTLFace-unlicensed", "licence_note": licence, "model_file": "model.pt",
            "input": {"image": {"shape": ["N", 3, SIZE, SIZE], "dtype": "float32", "value_range": [-1, 1],
                                "channel_order": "RGB", "alignment": alignment}},
            "output": {"embedding": {"shape": ["N", 512], "meaning": "unit vector, cosine similarity"},
                       "age": {"shape": ["N"], "meaning": "years, the expectation over 101 age logits"},
                       "age_group_logits": {"shape": ["N", len(GROUPS)], "groups": GROUPS}},
            "note": "MTLFace's demo averages the embeddings of the face and of its mirror image",
            "source": source,
        })


if __name__ == "__main__":
    main()
