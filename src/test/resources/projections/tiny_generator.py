"""Builds two tiny generator packages of Homeward's generator contract (the MTLFace ager's I/O), for the tests.

    /usr/bin/python3 tiny_generator.py OUT_DIR

OUT_DIR/tiny-generator/     random weights, traced at a fixed batch of 7 like MTLFace's ager
OUT_DIR/identity-generator/ returns its input image (any batch), to check the image conversion
OUT_DIR/reference/          input.f32 [10,3,112,112], groups.i64 [10], expected.f32: the tiny generator's
                            outputs computed here, batch by batch, for the Java side to match
Contract: forward(image float32 [N,3,112,112] in [-1,1], age_group int64 [N]) -> image [N,3,112,112] in [-1,1].
"""
import hashlib
import json
import os
import sys

import torch

BATCH = 7
GROUPS = ["0-10", "11-20", "21-30", "31-40", "41-50", "51-60", "61+"]


class Tiny(torch.nn.Module):
    """A 3x3 convolution, plus a per-group colour shift; the reshape by a literal batch fixes N as MTLFace's ager does."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 3, 3, padding=1)
        self.shift = torch.nn.Embedding(len(GROUPS), 3)

    def forward(self, image, age_group):
        shift = self.shift(age_group).reshape(BATCH, 3, 1, 1)
        return torch.tanh(self.conv(image) + shift)


class Identity(torch.nn.Module):
    def forward(self, image, age_group):
        return image + 0.0 * age_group.to(image.dtype).reshape(-1, 1, 1, 1)


def package(out, name, module, example, batch):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    traced = torch.jit.trace(module, example)
    path = os.path.join(d, "model.pt")
    traced.save(path)
    data = open(path, "rb").read()
    manifest = {
        "name": name,
        "version": "0.0.1-test",
        "task": "age-generator",
        "format": "torchscript",
        "licence": "CC0-1.0",
        "licence_note": "random weights made by the test itself",
        "model_file": "model.pt",
        "input": {
            "image": {"shape": [batch, 3, 112, 112], "dtype": "float32", "value_range": [-1, 1], "channel_order": "RGB",
                      "alignment": "arcface-112 (eye centres)"},
            "age_group": {"shape": [batch], "dtype": "int64", "groups": GROUPS},
        },
        "output": {"image": {"shape": [batch, 3, 112, 112], "value_range": [-1, 1]}},
        "files": {"model.pt": {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}},
    }
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    return traced


def main(out):
    torch.manual_seed(7)
    tiny = Tiny().eval()
    example = (torch.rand(BATCH, 3, 112, 112) * 2 - 1, torch.arange(BATCH, dtype=torch.int64))
    with torch.no_grad():
        traced = package(out, "tiny-generator", tiny, example, BATCH)
        package(out, "identity-generator", Identity().eval(), example, "N")
        faces = torch.rand(10, 3, 112, 112) * 2 - 1
        groups = torch.tensor([0, 1, 2, 3, 4, 5, 6, 0, 3, 6], dtype=torch.int64)
        # the reference runs the traced module as Java must: batches of 7, the last padded with its final face
        outs = []
        for start in range(0, 10, BATCH):
            idx = [min(i, 9) for i in range(start, start + BATCH)]
            y = traced(faces[idx], groups[idx])
            outs.append(y[: min(BATCH, 10 - start)])
        expected = torch.cat(outs)
    ref = os.path.join(out, "reference")
    os.makedirs(ref, exist_ok=True)
    faces.numpy().astype("<f4").tofile(os.path.join(ref, "input.f32"))
    groups.numpy().astype("<i8").tofile(os.path.join(ref, "groups.i64"))
    expected.numpy().astype("<f4").tofile(os.path.join(ref, "expected.f32"))


if __name__ == "__main__":
    main(sys.argv[1])
