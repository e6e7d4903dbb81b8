#!/usr/bin/python3
"""Trains Homeward's age estimator (homeward-age-estimator-v1) on the FG-NET dev half.

    /usr/bin/python3 deploy/models/train_age_estimator.py            # embed (cached), cross-validate, write package
    /usr/bin/python3 deploy/models/train_age_estimator.py --no-write # report only
    /usr/bin/python3 deploy/models/train_age_estimator.py --test-vectors   # expected outputs for the Java test

Stage 1 runs, for every photo of ../shared/data/fgnet-dev/fgnet-dev.csv, the pipeline the app runs:
MMOD detector (the bundle's model.pt on dlib_port's tiled pyramid, dlib_port's decoding and NMS) ->
5-point shape predictor -> dlib face chip -> dlib-face-embedder-v1 (128-D raw descriptor).  The
labelled subject is the best-scored detected face whose 5 landmarks agree with the photo's annotated
ones (FG-NET family photos may show other people); photos where no detected face agrees are counted
as "subject not detected" and, only with --fallback-annotations, embedded from the annotation's 5 points.
Embeddings are cached under $HOMEWARD_HOME/build/age (outside the repository: they are per-photo data
of a research data set and must never be committed).

Stage 2 fits a few small regressors on the descriptor and compares them by nested cross-validation
grouped by identity: the outer loop leaves one identity out (41 folds), the inner loop (8 identity
folds on the remaining 40) picks each option's hyper-parameters.  The option with the lowest
band-balanced MAE (mean of the MAEs of the true-age bands 0-5, 6-12, 13-18, 19+) is refitted on all
photos (hyper-parameters chosen by leave-one-identity-out CV on all of them) and written, with only
aggregate parameters, to deploy/models/packages/homeward-age-estimator-v1/.
"""

import argparse
import csv
import hashlib
import inspect
import json
import math
import os
import shutil
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the checkout

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import dlib_port  # noqa: E402

PACKAGE_NAME = "homeward-age-estimator-v1"
PACKAGE_VERSION = "1.0.0"
EMBEDDER = "dlib-face-embedder-v1"
DIM = 128
BANDS = [("0-5", 0, 5), ("6-12", 6, 12), ("13-18", 13, 18), ("19+", 19, 1000)]
# Uncertainty: bands of the PREDICTED age (continuous years, lower bound inclusive).
UNCERTAINTY_EDGES = [0.0, 6.0, 13.0, 19.0]
MAX_YEARS = 90.0
# FG-NET annotation indices of dlib's 5 points (data README): right-eye outer, inner; left-eye outer,
# inner; subnasale (image right/left).
ANNOT_5 = [32, 34, 27, 29, 41]
MATCH_IOD = 0.35
OUTER_FOLDS = "leave-one-identity-out"
INNER_FOLDS = 8
SEED = 20261128


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def band_of(age):
    for name, lo, hi in BANDS:
        if lo <= age <= hi:
            return name
    raise ValueError(age)


# =============================================================================================
# Stage 1: embeddings through the app's pipeline (cached outside the repository)

def read_points(path):
    txt = open(path).read()
    body = txt[txt.index("{") + 1:txt.rindex("}")]
    pts = [tuple(float(v) for v in line.split()) for line in body.strip().splitlines() if line.strip()]
    return np.array(pts, dtype=np.float64)


def load_rgb(path):
    """Decoded as the app does: EXIF orientation applied, grayscale replicated to R=G=B."""
    from PIL import Image, ImageOps
    im = Image.open(path)
    im.load()
    oriented = ImageOps.exif_transpose(im)
    turned = oriented is not im and im.getexif().get(0x0112, 1) != 1
    im = oriented
    if im.mode == "L":
        a = np.asarray(im, dtype=np.uint8)
        return np.stack([a, a, a], axis=-1), turned, True
    return np.asarray(im.convert("RGB"), dtype=np.uint8), turned, False


class Pipeline:
    def __init__(self, models):
        import torch
        self.torch = torch
        torch.set_num_threads(max(1, os.cpu_count() or 1))
        det_dir = os.path.join(models, "dlib-face-detector-mmod")
        sp_dir = os.path.join(models, "dlib-shape-predictor-5")
        emb_dir = os.path.join(models, EMBEDDER)
        for d in (det_dir, sp_dir, emb_dir):
            if not os.path.isfile(os.path.join(d, "manifest.json")):
                sys.exit("no model package at %s: build the bundle first (deploy/models/build-default-bundle.sh)" % d)
        self.detector = torch.jit.load(os.path.join(det_dir, "model.pt")).eval()
        self.embedder = torch.jit.load(os.path.join(emb_dir, "model.pt")).eval()
        dm = json.load(open(os.path.join(det_dir, "manifest.json")))
        self.convs = [(l["kernel"], l["stride"], l["padding"]) for l in dm["layers_input_first"]]
        det = dm["detection"]
        self.pyr = det["pyramid"]
        self.nms_args = (det["detector_window"]["width"], det["detector_window"]["height"],
                         det["nms"]["iou_thresh"], det["nms"]["percent_covered_thresh"], det["score_threshold"])
        self.sp = dlib_port.ShapePredictor.from_json(json.load(open(os.path.join(sp_dir, "shape_predictor_5.json"))))
        # What the cache depends on: the three packages' files and the port.
        h = hashlib.sha256()
        for d in (det_dir, sp_dir, emb_dir):
            h.update(json.dumps(json.load(open(os.path.join(d, "manifest.json")))["files"], sort_keys=True).encode())
        h.update(open(os.path.join(HERE, "dlib_port.py"), "rb").read())
        for fn in (read_points, load_rgb, Pipeline.detect, Pipeline.embed, embed_photo):
            h.update(inspect.getsource(fn).encode())
        h.update(json.dumps([ANNOT_5, MATCH_IOD, EMBEDDER]).encode())
        self.key = h.hexdigest()[:16]

    def detect(self, rgb):
        tiled, rects = dlib_port.tiled_pyramid(rgb, self.pyr["padding"], self.pyr["outer_padding"], normalised=False)
        with self.torch.no_grad():
            scores = self.detector(self.torch.from_numpy(tiled[None].copy())).numpy()[0, 0]
        return dlib_port.decode_detections(scores, rects, self.convs, *self.nms_args)   # best score first

    def embed(self, rgb, landmarks):
        chip = dlib_port.extract_image_chip(rgb, dlib_port.face_chip_details(landmarks))
        with self.torch.no_grad():
            x = self.torch.from_numpy(chip.transpose(2, 0, 1)[None].astype(np.float32).copy())
            return self.embedder(x).numpy()[0].astype(np.float32)


def embed_photo(pipe, data_dir, row):
    rgb, turned, grey = load_rgb(os.path.join(data_dir, row["path"]))
    pts = read_points(os.path.join(data_dir, row["points"]))
    ann5 = pts[ANNOT_5]
    boxes = pipe.detect(rgb)
    gray = dlib_port.rgb_to_gray(rgb)
    rec = {"faces": len(boxes), "exif_turned": turned, "grey": grey}
    # The labelled subject: the best-scored face whose 5 landmarks agree with the annotated ones
    # (mean distance under MATCH_IOD of the annotated inter-ocular distance).
    iod = float(np.hypot(*(ann5[0] - ann5[2])))
    chosen, errs = None, []
    for rank, b in enumerate(boxes):
        lm = pipe.sp.predict(gray, tuple(b[:4]))
        err = float(np.mean(np.hypot(*(lm - ann5).T)) / max(iod, 1e-6))
        errs.append(round(err, 4))
        if err < MATCH_IOD:
            chosen = (rank, b, lm, err)
            break
    rec["landmark_errors"] = errs
    if chosen is not None:
        rank, b, lm, err = chosen
        rec.update(source="detected", rank=rank, score=float(b[4]), box=[int(v) for v in b[:4]],
                   landmark_err=err, embedding=pipe.embed(rgb, lm))
    else:
        lm = np.floor(ann5 + 0.5).astype(np.int64)   # dlib's landmarks are integers
        rec.update(source="annotation", rank=-1, score=float("nan"), box=None, landmark_err=float("nan"),
                   embedding=pipe.embed(rgb, lm))
    return rec


def load_embeddings(data_dir, models, cache_root):
    rows = list(csv.DictReader(open(os.path.join(data_dir, "fgnet-dev.csv"))))
    pipe = Pipeline(models)
    cache = os.path.join(cache_root, pipe.key)
    os.makedirs(cache, exist_ok=True)
    for other in os.listdir(cache_root):      # caches of an older pipeline or bundle: stale
        if other != pipe.key and len(other) == 16 and os.path.isdir(os.path.join(cache_root, other)):
            shutil.rmtree(os.path.join(cache_root, other), ignore_errors=True)
    out, t0, computed = [], time.time(), 0
    for i, row in enumerate(rows):
        f = os.path.join(cache, row["path"].replace("/", "_") + ".json")
        rec = None
        if os.path.isfile(f):
            try:
                rec = json.load(open(f))
                rec["embedding"] = np.array(rec["embedding"], dtype=np.float32)
            except (ValueError, KeyError):
                rec = None
        if rec is None:
            rec = embed_photo(pipe, data_dir, row)
            tmp = f + ".tmp"
            with open(tmp, "w") as fh:
                json.dump(dict(rec, embedding=[float(v) for v in rec["embedding"]]), fh)
            os.replace(tmp, f)
            computed += 1
            if computed % 25 == 0:
                log("  embedded %d photos (%d/%d), %.0f s" % (computed, i + 1, len(rows), time.time() - t0))
        rec["identity"], rec["age"], rec["path"] = row["identity"], int(row["age"]), row["path"]
        out.append(rec)
    return out, {"cache": cache, "computed": computed, "seconds": round(time.time() - t0, 1)}


# =============================================================================================
# Stage 2: regressors (numpy only), nested grouped cross-validation

def ridge_fit(phi, y, lam):
    """Ridge on standardised features with an unpenalised intercept; returns (w, b) for the raw features."""
    mu = phi.mean(axis=0)
    sd = phi.std(axis=0)
    sd[sd < 1e-12] = 1.0
    z = (phi - mu) / sd
    ym = y.mean()
    a = z.T @ z + lam * len(y) * np.eye(z.shape[1])
    w = np.linalg.solve(a, z.T @ (y - ym)) / sd
    return w, float(ym - mu @ w)


LAMBDAS = (1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0)


class RidgeAge:
    """years = b + w . x"""
    name = "ridge-age"
    grid = [{"lambda": l} for l in LAMBDAS]
    shippable = True
    target = "years"

    def fit(self, x, age, hp):
        self.hp = hp
        self.w, self.b = ridge_fit(x, age.astype(np.float64), hp["lambda"])
        return self

    def predict(self, x):
        return x @ self.w + self.b


class RidgeLogShift:
    """years = exp(b + w . x) - c  (ridge on log(age + c))"""
    name = "ridge-log-age-plus-c"
    grid = [{"c": c, "lambda": l} for c in (1.0, 2.0, 4.0, 8.0, 16.0, 32.0) for l in LAMBDAS]
    shippable = True
    target = "log_age_plus_c"

    def fit(self, x, age, hp):
        self.hp = hp
        self.w, self.b = ridge_fit(x, np.log(age.astype(np.float64) + hp["c"]), hp["lambda"])
        return self

    def predict(self, x):
        return np.exp(np.clip(x @ self.w + self.b, -50, 50)) - self.hp["c"]


class RidgeLog1p(RidgeLogShift):
    """years = exp(b + w . x) - 1  (ridge on log(age + 1))"""
    name = "ridge-log-age-plus-1"
    grid = [{"c": 1.0, "lambda": l} for l in LAMBDAS]


def quad_features(z):
    k = z.shape[1]
    iu = np.triu_indices(k)
    return np.concatenate([z, (z[:, :, None] * z[:, None, :])[:, iu[0], iu[1]]], axis=1)


class RidgeLogQuad:
    """z = P (x - m) (first k principal axes, whitened); phi = [z, z_i z_j for i <= j];
    years = exp(b + w . phi) - c"""
    name = "ridge-log-age-plus-c-pca-quadratic"
    grid = [{"k": k, "c": c, "lambda": l} for k in (8, 16) for c in (4.0, 8.0, 16.0) for l in (3e-2, 1e-1, 3e-1, 1.0)]
    shippable = True
    target = "log_age_plus_c"

    def _project(self, x):
        return (x - self.m) @ self.p.T

    def fit(self, x, age, hp):
        self.hp = hp
        self.m = x.mean(axis=0)
        _, s, vt = np.linalg.svd(x - self.m, full_matrices=False)
        k = hp["k"]
        self.p = vt[:k] / (s[:k, None] / math.sqrt(len(x)))     # whitened: unit variance on the training set
        self.w, self.b = ridge_fit(quad_features(self._project(x)), np.log(age.astype(np.float64) + hp["c"]),
                                   hp["lambda"])
        return self

    def predict(self, x):
        return np.exp(np.clip(quad_features(self._project(x)) @ self.w + self.b, -50, 50)) - self.hp["c"]


class KnnLog:
    """Distance-weighted k nearest neighbours on log(age + c). Reference only: it would have to store
    every training descriptor (per-photo data of FG-NET), which may not be shipped."""
    name = "knn-log-age (reference only)"
    grid = [{"k": k, "c": c} for k in (5, 10, 20) for c in (1.0, 8.0)]
    shippable = False

    def fit(self, x, age, hp):
        self.x, self.y, self.k, self.c = x, np.log(age.astype(np.float64) + hp["c"]), hp["k"], hp["c"]
        return self

    def predict(self, x):
        d = np.sqrt(((x[:, None, :] - self.x[None, :, :]) ** 2).sum(-1))
        idx = np.argsort(d, axis=1)[:, :self.k]
        dd = np.take_along_axis(d, idx, axis=1)
        wts = 1.0 / np.maximum(dd, 1e-6)
        return np.exp((wts * self.y[idx]).sum(1) / wts.sum(1)) - self.c


OPTIONS = [RidgeAge, RidgeLog1p, RidgeLogShift, RidgeLogQuad, KnnLog]


def clip_years(p):
    return np.clip(p, 0.0, MAX_YEARS)


def band_stats(age, pred):
    err = np.abs(pred - age)
    out = {"all": {"n": int(len(age)), "mae": round(float(err.mean()), 3)}}
    for name, lo, hi in BANDS:
        m = (age >= lo) & (age <= hi)
        out[name] = {"n": int(m.sum()), "mae": round(float(err[m].mean()), 3) if m.any() else None}
    out["band_balanced_mae"] = round(float(np.mean([out[n]["mae"] for n, _, _ in BANDS
                                                    if out[n]["mae"] is not None])), 3)
    return out


def criterion(age, pred):
    err = np.abs(pred - age)
    return float(np.mean([err[(age >= lo) & (age <= hi)].mean() for _, lo, hi in BANDS
                          if ((age >= lo) & (age <= hi)).any()]))


def group_folds(groups, n_folds, seed):
    ids = sorted(set(groups))
    rng = np.random.RandomState(seed)
    rng.shuffle(ids)
    fold_of = {g: i % n_folds for i, g in enumerate(ids)}
    return np.array([fold_of[g] for g in groups])


def cv_predict(option, x, age, groups, hp, folds):
    pred = np.empty(len(age))
    for f in np.unique(folds):
        te = folds == f
        pred[te] = clip_years(option().fit(x[~te], age[~te], hp).predict(x[te]))
    return pred


def select_hp(option, x, age, groups, folds):
    best = None
    for hp in option.grid:
        c = criterion(age, cv_predict(option, x, age, groups, hp, folds))
        if best is None or c < best[0] - 1e-12:
            best = (c, hp)
    return best[1]


def nested_cv(option, x, age, groups):
    """Outer: leave one identity out; inner: INNER_FOLDS identity folds pick the hyper-parameters."""
    pred = np.empty(len(age))
    chosen = []
    for g in sorted(set(groups)):
        te = groups == g
        tr = ~te
        inner = group_folds(groups[tr], INNER_FOLDS, SEED)
        hp = select_hp(option, x[tr], age[tr], groups[tr], inner)
        chosen.append(hp)
        pred[te] = clip_years(option().fit(x[tr], age[tr], hp).predict(x[te]))
    return pred, chosen


def uncertainty_table(age, pred):
    """RMS error (bias included) of out-of-fold predictions, per band of the predicted age."""
    rows = []
    edges = UNCERTAINTY_EDGES + [math.inf]
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (pred >= lo) & (pred < hi)
        res = pred[m] - age[m]
        rows.append({"predicted_from": lo, "predicted_below": None if hi == math.inf else hi, "n": int(m.sum()),
                     "rms_error": round(float(np.sqrt((res ** 2).mean())), 3) if m.any() else None,
                     "mean_error": round(float(res.mean()), 3) if m.any() else None})
    # A band with too few faces borrows the next wider estimate (never below its neighbours' maximum).
    for i, r in enumerate(rows):
        if r["n"] < 15:
            near = [rows[j]["rms_error"] for j in (i - 1, i + 1) if 0 <= j < len(rows) and rows[j]["rms_error"]]
            r["rms_error"] = max([v for v in [r["rms_error"]] + near if v is not None])
            r["note"] = "fewer than 15 faces: the larger of its own and its neighbours' RMS error"
    return rows


# =============================================================================================
# Package

def fmt(v):
    return float(np.format_float_positional(np.float64(v), precision=9, unique=False, fractional=False, trim="-"))


def parameters_doc(model, method, hp):
    """Only aggregate numbers: weights, a bias, (for the quadratic option) the training mean and projection."""
    doc = {"format": "homeward-age-estimator-parameters/1", "method": method.name, "hyper_parameters": hp,
           "input_dimension": DIM, "max_years": MAX_YEARS}
    if method.target == "years":
        doc["target"] = {"kind": "years"}
    else:
        doc["target"] = {"kind": "log_age_plus_c", "c": fmt(hp["c"])}
    if issubclass(method, RidgeLogQuad):
        doc["mean"] = [fmt(v) for v in model.m]
        doc["projection"] = [[fmt(v) for v in row] for row in model.p]
    doc["weights"] = [fmt(v) for v in model.w]
    doc["bias"] = fmt(model.b)
    return doc


_X = "x = the 128-D descriptor as the embedder returns it (float32, NOT normalised), read as double"
_OUT_YEARS = "years = min(max(y, 0), max_years)"
_OUT_LOG = "years = min(max(exp(y) - c, 0), max_years)  (the model predicts log(age + c); c = target.c)"
FORMULAS = {
    RidgeAge.name: [_X, "y = bias + sum_i weights[i] * x[i]", _OUT_YEARS],
    RidgeLog1p.name: [_X, "y = bias + sum_i weights[i] * x[i]", _OUT_LOG],
    RidgeLogShift.name: [_X, "y = bias + sum_i weights[i] * x[i]", _OUT_LOG],
    RidgeLogQuad.name: [_X, "z[j] = sum_i projection[j][i] * (x[i] - mean[i]), j = 0..k-1",
                        "phi = z[0..k-1], then z[i]*z[j] for i = 0..k-1, j = i..k-1 (row by row)",
                        "y = bias + sum_n weights[n] * phi[n]", _OUT_LOG],
}


def write_package(out_dir, params, manifest):
    os.makedirs(out_dir, exist_ok=True)
    pfile = os.path.join(out_dir, "parameters.json")
    with open(pfile, "w") as f:
        json.dump(params, f, indent=1)
        f.write("\n")
    manifest["files"] = {"parameters.json": {"sha256": sha256_file(pfile), "bytes": os.path.getsize(pfile)}}
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def predict_with_params(params, x):
    """Applies parameters.json exactly as the manifest's formula says (what the Java class does)."""
    x = np.asarray(x, dtype=np.float32).astype(np.float64)
    if "projection" in params:
        z = (x - np.array(params["mean"])) @ np.array(params["projection"]).T
        y = quad_features(z) @ np.array(params["weights"]) + params["bias"]
    else:
        y = x @ np.array(params["weights"]) + params["bias"]
    years = np.exp(y) - params["target"]["c"] if params["target"]["kind"] == "log_age_plus_c" else y
    return np.clip(years, 0.0, params["max_years"])


def uncertainty_for(params_or_manifest, years):
    table = params_or_manifest["uncertainty"]["table"]
    out = []
    for yv in np.atleast_1d(years):
        u = table[0]["rms_error"]
        for r in table:
            if yv >= r["predicted_from"]:
                u = r["rms_error"]
        out.append(u)
    return np.array(out)


def synthetic_vectors():
    """Deterministic synthetic descriptors (NOT FG-NET data) for the Java test (LinearAgeEstimatorTest
    builds the same vectors): smooth patterns with norms about 1, whose estimates fall in all four bands."""
    vecs = []
    for k in range(5):
        v = [np.float32(0.11 * math.sin(0.37 * i + 1.9 * k) + 0.05 * math.cos(0.11 * i * (k + 1)) - 0.01 * k)
             for i in range(DIM)]
        vecs.append(np.array(v, dtype=np.float32))
    return vecs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    home = os.environ.get("HOMEWARD_HOME", "/var/lib/homeward")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(REPO), "shared", "data", "fgnet-dev"))
    ap.add_argument("--models", default=os.environ.get("HOMEWARD_MODELS", os.path.join(home, "models")))
    ap.add_argument("--cache", default=os.path.join(home, "build", "age"))
    ap.add_argument("--out", default=os.path.join(HERE, "packages", PACKAGE_NAME))
    ap.add_argument("--fallback-annotations", action="store_true",
                    help="also train on photos where no detected face holds the annotated points, embedded from "
                         "the annotation's 5 points (the app would find no face there)")
    ap.add_argument("--no-write", action="store_true", help="report only, do not write the package")
    ap.add_argument("--test-vectors", action="store_true",
                    help="print the package's outputs for the synthetic test vectors and exit")
    args = ap.parse_args()

    if args.test_vectors:
        params = json.load(open(os.path.join(args.out, "parameters.json")))
        vecs = synthetic_vectors()
        yrs = predict_with_params(params, np.stack(vecs))
        for k, (v, yv) in enumerate(zip(vecs, yrs)):
            print(json.dumps({"vector": k, "norm": round(float(np.linalg.norm(v)), 4), "years": round(float(yv), 6),
                              "uncertainty": float(uncertainty_for(params, yv)[0])}))
        return 0

    t_start = time.time()
    if not os.path.isfile(os.path.join(args.data, "fgnet-dev.csv")):
        sys.exit("no FG-NET dev data at %s" % args.data)
    log("stage 1: embeddings (cache %s)" % args.cache)
    recs, emb_info = load_embeddings(args.data, args.models, args.cache)
    t_embed = time.time() - t_start
    detected = [r for r in recs if r["source"] == "detected"]
    no_face = [r for r in recs if r["source"] != "detected"]
    pipeline_report = {
        "photos": len(recs), "identities": len(set(r["identity"] for r in recs)),
        "grey_photos": sum(r["grey"] for r in recs), "exif_rotated": sum(bool(r["exif_turned"]) for r in recs),
        "subject_detected": len(detected),
        "subject_not_detected": len(no_face),
        "no_face_at_all": sum(r["faces"] == 0 for r in recs),
        "faces_found_but_none_on_the_subject": sum(r["faces"] > 0 and r["source"] != "detected" for r in recs),
        "landmark_errors_of_faces_not_on_the_subject": sorted(e for r in no_face for e in r["landmark_errors"]),
        "photos_with_several_faces": sum(r["faces"] > 1 for r in recs),
        "subject_not_the_best_scored_face": sum(r["rank"] > 0 for r in detected),
        "not_detected_by_band": {n: sum(band_of(r["age"]) == n for r in no_face) for n, _, _ in BANDS},
        "landmarks_vs_annotation_mean_error_over_interocular": round(float(np.median([r["landmark_err"] for r in detected])), 4),
        "embedding_seconds": emb_info["seconds"], "embedded_now": emb_info["computed"],
    }
    log("pipeline: " + json.dumps(pipeline_report))

    train = recs if args.fallback_annotations else detected
    x = np.stack([r["embedding"] for r in train]).astype(np.float64)
    age = np.array([r["age"] for r in train], dtype=np.float64)
    groups = np.array([r["identity"] for r in train])
    x_nf = np.stack([r["embedding"] for r in no_face]).astype(np.float64) if no_face else None
    age_nf = np.array([r["age"] for r in no_face], dtype=np.float64)

    log("stage 2: nested CV (outer %s over %d identities, inner %d identity folds), %d faces"
        % (OUTER_FOLDS, len(set(groups)), INNER_FOLDS, len(age)))
    results = {}
    oof = {}
    for opt in OPTIONS:
        t0 = time.time()
        pred, hps = nested_cv(opt, x, age, groups)
        oof[opt.name] = pred
        st = band_stats(age, pred)
        hp_counts = {}
        for hp in hps:
            key = json.dumps(hp, sort_keys=True)
            hp_counts[key] = hp_counts.get(key, 0) + 1
        st["inner_choices"] = hp_counts
        st["shippable"] = opt.shippable
        st["seconds"] = round(time.time() - t0, 1)
        results[opt.name] = st
        log("  %-34s MAE %.2f | 0-5 %.2f | 6-12 %.2f | 13-18 %.2f | 19+ %.2f | balanced %.2f  (%.1f s)" % (
            opt.name, st["all"]["mae"], st["0-5"]["mae"], st["6-12"]["mae"], st["13-18"]["mae"], st["19+"]["mae"],
            st["band_balanced_mae"], st["seconds"]))

    chosen = min((o for o in OPTIONS if o.shippable), key=lambda o: results[o.name]["band_balanced_mae"])
    cv_pred = oof[chosen.name]
    unc = uncertainty_table(age, cv_pred)
    log("chosen: %s; uncertainty by predicted age: %s" % (chosen.name, json.dumps(unc)))

    # Final fit: hyper-parameters by leave-one-identity-out CV on all faces, then fit on all.
    loio = np.unique(groups, return_inverse=True)[1]
    hp = select_hp(chosen, x, age, groups, loio)
    model = chosen().fit(x, age, hp)
    fit_stats = band_stats(age, clip_years(model.predict(x)))

    no_face_eval = None
    if x_nf is not None and not args.fallback_annotations:
        # Informational: the chosen model (fitted on detected faces only) on the faces the detector missed,
        # embedded from the annotated points; the identities of these photos are in the training set, so
        # this is optimistic about identity but shows how the (harder) missed faces fare.
        no_face_eval = band_stats(age_nf, clip_years(model.predict(x_nf)))

    if no_face_eval is not None:
        # Printed only: with a handful of photos this is close to per-photo data, which stays out of the repo.
        log("chosen model on the %d photo(s) whose subject was not detected (embedded from the annotated "
            "points; their identities are in the training set): %s" % (len(age_nf), json.dumps(no_face_eval)))
    params = parameters_doc(model, chosen, hp)
    params["uncertainty"] = {"kind": "rms_error_years_by_predicted_age", "table": unc}
    # The rounded JSON numbers, applied by the manifest's formula, must give the fitted model's answers.
    rounding = float(np.abs(predict_with_params(json.loads(json.dumps(params)), x) - clip_years(model.predict(x))).max())
    log("parameters.json applied as the manifest says vs the fitted model: max abs diff %.2e years" % rounding)
    if rounding > 1e-4:
        sys.exit("parameters.json does not reproduce the fitted model (%.2e years)" % rounding)
    cv_table = {n: results[chosen.name][n] for n in ["all"] + [b for b, _, _ in BANDS]}
    manifest = {
        "name": PACKAGE_NAME,
        "version": PACKAGE_VERSION,
        "task": "age-estimation",
        "format": "json-parameters",
        "licence": "LicenseRef-Homeward-research-use",
        "licence_note": ("Trained by the Homeward project on the FG-NET Aging Database (dev half), which is "
                         "licensed for research use only. The parameters are aggregate numbers (%s); no photo, "
                         "face, descriptor or label is stored. "
                         "Whether parameters trained on research-only data may be used beyond research is "
                         "not settled: treat this package as research use, and retrain on data with a "
                         "licence for your use before any operational deployment.")
                        % ("regression weights, a mean vector and a projection" if issubclass(chosen, RidgeLogQuad)
                           else "128 regression weights and a bias"),
        "input": {
            "embedder": EMBEDDER,
            "dimension": DIM,
            "dtype": "float32",
            "vector": "the raw descriptor of dlib-face-embedder-v1 for one aligned 150x150 chip (NOT L2-normalised)",
            "pipeline": "dlib-face-detector-mmod -> dlib-shape-predictor-5 -> dlib face chip (150, padding 0.25) -> "
                        "dlib-face-embedder-v1, exactly as the app runs them",
        },
        "method": {
            "name": chosen.name,
            "description": chosen.__doc__.strip().splitlines()[0] if chosen.__doc__ else chosen.name,
            "formula": FORMULAS[chosen.name],
            "parameters_file": "parameters.json",
            "hyper_parameters": hp,
            "hyper_parameters_chosen_by": "leave-one-identity-out CV on all training faces, band-balanced MAE",
        },
        "output": {
            "years": "estimated age in years (double; clamped to [0, %g])" % MAX_YEARS,
            "uncertainty": ("one standard deviation of the error, in years: the RMS error (bias included) of the "
                            "nested cross-validation's out-of-fold predictions for faces whose PREDICTED age "
                            "falls in the same band; look it up in parameters.json uncertainty.table: the last "
                            "row whose predicted_from <= years"),
        },
        "training_data": {
            "dataset": "FG-NET dev half (41 identities, research use), only aggregate parameters kept",
            "photos": pipeline_report["photos"],
            "faces_used": int(len(age)),
            "identities": int(len(set(groups))),
            "age_range": [int(age.min()), int(age.max())],
            "faces_by_true_age_band": {b: results[chosen.name][b]["n"] for b, _, _ in BANDS},
            "subject_not_detected": pipeline_report["subject_not_detected"],
            "annotation_fallback_used_for_training": bool(args.fallback_annotations),
        },
        "evaluation": {
            "protocol": ("nested cross-validation grouped by identity: outer leave-one-identity-out (41 folds); in "
                         "each, hyper-parameters picked by %d identity folds on the other 40 identities; options "
                         "compared on the band-balanced MAE (mean of the four bands' MAEs)" % INNER_FOLDS),
            "mae_years_by_true_age_band": cv_table,
            "band_balanced_mae": results[chosen.name]["band_balanced_mae"],
            "inner_loop_choices": results[chosen.name]["inner_choices"],
            "options_compared": {n: {k: v for k, v in r.items() if k not in ("inner_choices", "seconds")}
                                 for n, r in results.items()},
            "training_fit_mae_by_band": {n: fit_stats[n] for n in ["all"] + [b for b, _, _ in BANDS]},
            "command": "/usr/bin/python3 deploy/models/train_age_estimator.py",
        },
        "built": {
            "by": "deploy/models/train_age_estimator.py",
            "script_sha256": sha256_file(os.path.abspath(__file__)),
            "dlib_port_sha256": sha256_file(os.path.join(HERE, "dlib_port.py")),
            "numpy": np.__version__,
        },
    }
    if not args.no_write:
        write_package(args.out, params, manifest)
        log("wrote %s" % args.out)
    summary = {"chosen": chosen.name, "hyper_parameters": hp,
               "cv_mae": {n: results[chosen.name][n]["mae"] for n in ["all"] + [b for b, _, _ in BANDS]},
               "cv_n": {n: results[chosen.name][n]["n"] for n in ["all"] + [b for b, _, _ in BANDS]},
               "band_balanced_mae": results[chosen.name]["band_balanced_mae"],
            "inner_loop_choices": results[chosen.name]["inner_choices"],
               "options": {n: {"all": r["all"]["mae"], **{b: r[b]["mae"] for b, _, _ in BANDS},
                               "balanced": r["band_balanced_mae"]} for n, r in results.items()},
               "uncertainty_rms_by_predicted_age": [[u["predicted_from"], u["rms_error"]] for u in unc],
               "photos": pipeline_report["photos"], "subject_not_detected": pipeline_report["subject_not_detected"],
               "no_face_at_all": pipeline_report["no_face_at_all"],
               "seconds": {"embeddings": round(t_embed, 1), "total": round(time.time() - t_start, 1)}}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
