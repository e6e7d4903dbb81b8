#!/usr/bin/python3
"""Trains Homeward's embedding adapter: a small network over the frozen dlib face embedding that pulls one
person's childhood and adult faces together (docs/accuracy.md, "Adapter").

Input: the lines `deploy/homeward eval scale --export FILE` writes (one photo per line: identity, fold, raw and
mirrored dlib vectors). Two uses:
  --folds-out V.jsonl   for each fold k, train on the other folds' people only and write every photo's adapted vector
                        under fold k ({fold, file, vector}); `eval scale --vectors V.jsonl` judges them.
  --package DIR         train on everyone and write a TorchScript model package for the app (DJL runs it).
Run with Debian's /usr/bin/python3 (python3-torch); CPU only; seeded, so a rerun gives the same weights.
"""
import argparse
import json
import math
import random
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r["raw"]:
                rows.append(r)
    return rows


def unit(v):
    return F.normalize(v, dim=-1)


class Adapter(nn.Module):
    """y = unit(mean-centred x through a linear map plus a small residual MLP); x = unit(raw) (and its mirror, averaged)."""

    def __init__(self, d=128, hidden=256, out=128):
        super().__init__()
        self.register_buffer("mean", torch.zeros(d))
        self.linear = nn.Linear(d, out, bias=False)
        self.hidden = nn.Linear(d, max(1, hidden))
        self.back = nn.Linear(max(1, hidden), out, bias=False)
        self.residual = hidden > 0
        nn.init.eye_(self.linear.weight)
        nn.init.zeros_(self.back.weight)

    def forward(self, raw, flipped):
        x = unit(unit(raw) + unit(flipped))
        z = (x - self.mean) * 8.0
        y = self.linear(z)
        if self.residual:
            y = y + self.back(F.gelu(self.hidden(z)))
        return unit(y)


def train(rows, args, seed):
    torch.manual_seed(seed)
    random.seed(seed)
    ids = sorted({r["identity"] for r in rows})
    index = {k: i for i, k in enumerate(ids)}
    raw = torch.tensor([r["raw"] for r in rows])
    flp = torch.tensor([r["flipped"] for r in rows])
    y = torch.tensor([index[r["identity"]] for r in rows])
    young = torch.tensor([r["age"] <= 12 for r in rows])
    model = Adapter(hidden=args.hidden)
    with torch.no_grad():
        model.mean.copy_(unit(unit(raw) + unit(flp)).mean(0))
    classes = nn.Parameter(unit(torch.randn(len(ids), 128)))
    opt = torch.optim.AdamW(list(model.parameters()) + [classes], lr=args.lr, weight_decay=args.wd)
    n = len(rows)
    for epoch in range(args.epochs):
        perm = torch.randperm(n)
        for b in range(0, n, args.batch):
            idx = perm[b:b + args.batch]
            # augmentation: each view (the chip, its mirror, their mean) stands for the face
            r, f = raw[idx], flp[idx]
            pick = torch.rand(len(idx), 1)
            a = torch.where(pick < 0.33, r, torch.where(pick < 0.66, f, (unit(r) + unit(f))))
            a = a + args.noise * torch.randn_like(a) * a.norm(dim=1, keepdim=True) / math.sqrt(128)
            e = model(a, a)
            # CosFace: cosine to every person's centre, with a margin on the person's own
            logits = e @ unit(classes).T
            logits[torch.arange(len(idx)), y[idx]] -= args.margin
            loss = F.cross_entropy(args.scale * logits, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model


def embed(model, rows):
    with torch.no_grad():
        raw = torch.tensor([r["raw"] for r in rows])
        flp = torch.tensor([r["flipped"] for r in rows])
        return model(raw, flp)


def quick_rank1(rows, vectors, fold):
    """Rank-1 of the fold's adults against the fold's cases (best face), a quick check; eval scale is the judge."""
    sel = [i for i, r in enumerate(rows) if r["fold"] == fold]
    cases = {}
    for i in sel:
        if rows[i]["age"] <= 12:
            cases.setdefault(rows[i]["identity"], []).append(i)
    names = list(cases)
    hits = total = 0
    for i in sel:
        r = rows[i]
        if r["age"] >= 18 and r["identity"] in cases:
            q = vectors[i]
            best = [max(float(q @ vectors[j]) for j in cases[c]) for c in names]
            total += 1
            hits += names[max(range(len(names)), key=lambda k: best[k])] == r["identity"]
    return hits / max(1, total)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--embeddings", required=True)
    p.add_argument("--folds-out")
    p.add_argument("--package")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--wd", type=float, default=1e-2)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--margin", type=float, default=0.2)
    p.add_argument("--scale", type=float, default=16.0)
    p.add_argument("--noise", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(2)
    rows = load(args.embeddings)
    folds = sorted({r["fold"] for r in rows})
    if args.folds_out:
        with open(args.folds_out, "w") as out:
            for k in folds:
                model = train([r for r in rows if r["fold"] != k], args, args.seed)
                vectors = embed(model, rows)
                print(f"fold {k}: quick rank-1 {quick_rank1(rows, vectors, k):.4f}", file=sys.stderr)
                for r, v in zip(rows, vectors):
                    out.write(json.dumps({"fold": k, "file": r["file"], "vector": [round(float(x), 6) for x in v]}) + "\n")
    if args.package:
        raise SystemExit("--package: not yet")


if __name__ == "__main__":
    main()
