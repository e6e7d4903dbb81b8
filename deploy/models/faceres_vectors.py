#!/usr/bin/python3
"""HSE FaceRes vectors for the photos of a protocol export (experiment; see convert_faceres.py).

  faceres_vectors.py --model DIR/model.pt --input export.jsonl --output vectors.jsonl [--padding 0.4] [--flip]

Input: JSONL, one object per photo: {"file": absolute path, "fold": int, "landmarks": [x0,y0,...,x4,y4]}, the
five dlib 5-point landmarks (dlib-shape-predictor-5 order) in the upright photo; empty or absent when the photo has
no usable face (such lines are skipped).
Output: JSONL, one line per photo with landmarks, in input order: {"fold": ..., "file": ..., "vector": [1024 floats]}.
  vector = the L2-normalised descriptor of the aligned chip; with --flip, the mean of the unit descriptors of the
  chip and of its mirror image (not normalised again).

Crop: the photo is read with PIL and turned upright by its EXIF orientation (ImageOps.exif_transpose), then
aligned exactly as dlib does (dlib_port.face_chip_details(landmarks, size=224, padding) + extract_image_chip:
similarity transform onto dlib's 5-point template, bilinear, pyramid for large faces). The chip goes into the
model as raw RGB 0..255 (the model does no normalisation), as @vladmandic/human feeds it (--preprocess
hse-bgr-mean instead feeds BGR minus the VGG means, as the upstream HSE code did: which one the weights expect is
not documented; see the manifest's preprocessing_note).
Padding: human crops the face with its BlazeFace box enlarged 1.4x and squared; on astronaut.png and
grace_hopper.jpg that square is as wide as dlib's chip with padding 0.40 (0.25 gives a tighter crop, 0.5 a looser
one), hence the default 0.4.
"""

import argparse
import concurrent.futures
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image, ImageOps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlib_port  # noqa: E402

CHIP = 224


def load_rgb(path):
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)
        return np.asarray(im.convert("RGB"))


def make_chip(rec, padding):
    """(chip uint8 [224,224,3], None) or (None, error text)."""
    try:
        img = load_rgb(rec["file"])
        lm = np.asarray(rec["landmarks"], dtype=np.float64).reshape(5, 2)
        det = dlib_port.face_chip_details(lm, size=CHIP, padding=padding)
        return dlib_port.extract_image_chip(img, det), None
    except Exception as e:  # noqa: BLE001 - report and go on
        return None, "%s: %s" % (type(e).__name__, e)


def read_export(path):
    recs, skipped = [], 0
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            lm = r.get("landmarks")
            if not lm:
                skipped += 1
                continue
            if len(lm) != 10:
                raise SystemExit("%s:%d: landmarks must be 10 numbers, got %d" % (path, n, len(lm)))
            recs.append(r)
    return recs, skipped


# the upstream HSE code's input (facial_analysis.py, load_age_gender): BGR minus the VGG means
HSE_BGR_MEAN = torch.tensor([103.939, 116.779, 123.68]).reshape(1, 3, 1, 1)


def embed(model, chips, flip, preprocess="human"):
    x = torch.from_numpy(np.ascontiguousarray(np.stack(chips).transpose(0, 3, 1, 2)).astype(np.float32))
    if preprocess == "hse-bgr-mean":
        x = x[:, [2, 1, 0]] - HSE_BGR_MEAN
    if flip:
        x = torch.cat([x, torch.flip(x, dims=[3])])
    with torch.no_grad():
        d = model(x)
    d = d / d.norm(dim=1, keepdim=True).clamp_min(1e-12)
    if flip:
        n = len(chips)
        d = (d[:n] + d[n:]) / 2
    return d.numpy()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="model.pt of hse-faceres-v1 (or its folder)")
    ap.add_argument("--input", required=True, help="protocol export (JSONL)")
    ap.add_argument("--output", required=True, help="vectors (JSONL), written via a .tmp file")
    ap.add_argument("--padding", type=float, default=0.4, help="dlib chip padding (default 0.4)")
    ap.add_argument("--flip", action="store_true", help="average the unit vectors of the chip and its mirror")
    ap.add_argument("--preprocess", choices=["human", "hse-bgr-mean"], default="human",
                    help="human: RGB 0..255 as @vladmandic/human feeds the model (default); hse-bgr-mean: BGR minus "
                         "(103.939, 116.779, 123.68), as the upstream HSE code fed its graph (an experiment)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (default: all cores)")
    args = ap.parse_args()

    model_path = os.path.join(args.model, "model.pt") if os.path.isdir(args.model) else args.model
    torch.set_num_threads(args.threads or max(1, os.cpu_count() or 1))
    model = torch.jit.load(model_path).eval()
    recs, no_face = read_export(args.input)
    total = len(recs)
    print("%d photos with landmarks, %d without; padding %g, flip %s, preprocess %s"
          % (total, no_face, args.padding, args.flip, args.preprocess), file=sys.stderr)

    t0 = time.time()
    done, failed, t_model, last_report = 0, [], 0.0, 0.0
    tmp = args.output + ".tmp"
    batches = [recs[i:i + args.batch] for i in range(0, total, args.batch)]
    # one worker prepares the next batch's chips while the model runs on this one
    with open(tmp, "w") as out, concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        def prep(batch):
            return [make_chip(r, args.padding) for r in batch]

        nxt = pool.submit(prep, batches[0]) if batches else None
        for bi, batch in enumerate(batches):
            prepared = nxt.result()
            nxt = pool.submit(prep, batches[bi + 1]) if bi + 1 < len(batches) else None
            ok = [(r, c) for r, (c, err) in zip(batch, prepared) if c is not None]
            failed += [(r["file"], err) for r, (c, err) in zip(batch, prepared) if c is None]
            if ok:
                t1 = time.time()
                vecs = embed(model, [c for _, c in ok], args.flip, args.preprocess)
                t_model += time.time() - t1
                for (r, _), v in zip(ok, vecs):
                    out.write(json.dumps({"fold": r.get("fold"), "file": r["file"],
                                          "vector": [float(np.float32(x)) for x in v]}) + "\n")
            done += len(batch)
            el = time.time() - t0
            if el - last_report >= 10 or done == total:
                last_report = el
                print("%d/%d photos, %.1f/s, %.0f s elapsed, ETA %.0f s" %
                      (done, total, done / el if el else 0, el, (total - done) * el / done if done else 0),
                      file=sys.stderr, flush=True)
    os.replace(tmp, args.output)
    el = time.time() - t0
    print("%d vectors written to %s in %.1f s (model %.1f s); %d failed" %
          (total - len(failed), args.output, el, t_model, len(failed)), file=sys.stderr)
    for f, err in failed[:20]:
        print("  failed: %s: %s" % (f, err), file=sys.stderr)
    if failed:
        sys.exit(1 if len(failed) == total else 0)


if __name__ == "__main__":
    main()
