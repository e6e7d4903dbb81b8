#!/usr/bin/python3
"""Converts dlib's three CC0 face models into Homeward's default model bundle.

  convert_dlib.py --src DIR_WITH_DAT_FILES --out $HOMEWARD_MODELS --source-json FILE

Writes, each in its own folder with a manifest.json:
  dlib-face-embedder-v1/     model.pt  TorchScript ResNet, [N,3,150,150] raw RGB 0..255 -> [N,128]
  dlib-face-detector-mmod/   model.pt  TorchScript MMOD CNN, [1,3,H,W] raw RGB tiled pyramid -> [1,1,h,w]
  dlib-shape-predictor-5/    shape_predictor_5_face_landmarks.dat (as is) + shape_predictor_5.json

The weights are read straight from dlib's serialization (dlib_format.py); no dlib is needed here.
verify_dlib.py proves the result against dlib's own C++ (dlib_reference.cpp).
Run with Debian's /usr/bin/python3 (python3-torch, python3-numpy).
"""

import argparse
import datetime
import hashlib
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if __name__ != "__main__" or "--check" not in sys.argv:
    # the --check mode needs only the standard library (a fast no-op test for the set-up script)
    import numpy as np
    import torch
    import torch.nn.functional as F

    import dlib_format
    import dlib_port

EMBEDDER = "dlib-face-embedder-v1"
DETECTOR = "dlib-face-detector-mmod"
SHAPE5 = "dlib-shape-predictor-5"
BUNDLE_VERSION = "1.0.0"
# The detector's hidden channels (45) are widened to a multiple of this (48); see widen_channels.
DETECTOR_CHANNEL_MULTIPLE = 16
HERE = os.path.dirname(os.path.abspath(__file__))
# dlib's answers on a public-domain photo, copied into each package for the self-test every process runs.
KNOWN_ANSWERS = os.path.join("known-answers", "dlib-astronaut.json")
KNOWN_ANSWERS_IMAGE = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def converter_digest():
    """sha256 over the scripts that shape the bundle: a change in them means a rebuild."""
    h = hashlib.sha256()
    for name in ("convert_dlib.py", "dlib_format.py", "dlib_port.py", KNOWN_ANSWERS):
        with open(os.path.join(HERE, name), "rb") as f:
            h.update(name.encode() + b"\0" + f.read())
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# Architectures, outermost layer first, exactly as the C++ types of dlib's examples (see
# dlib_reference.cpp).  Tag and skip layers are not distinguishable in the file, so the parsed
# layer list is checked against these and the tag numbers come from here.

def _resnet_arch():
    def block(n, stride):
        return [("affine",), ("con", n, 3, 1, 1), ("relu",), ("affine",), ("con", n, 3, stride, 0 if stride != 1 else 1)]

    def ares(n):
        return [("relu",), ("add_prev", 1)] + block(n, 1) + [("tag", 1)]

    def ares_down(n):
        return [("relu",), ("add_prev", 2), ("avg_pool", 2, 2), ("skip", 1), ("tag", 2)] + block(n, 2) + [("tag", 1)]

    level0 = ares_down(256)
    level1 = ares(256) + ares(256) + ares_down(256)
    level2 = ares(128) + ares(128) + ares_down(128)
    level3 = ares(64) + ares(64) + ares(64) + ares_down(64)
    level4 = ares(32) + ares(32) + ares(32)
    return ([("fc", 128), ("avg_pool_everything",)] + level0 + level1 + level2 + level3 + level4 +
            [("max_pool", 3, 2), ("relu",), ("affine",), ("con", 32, 7, 2, 0)])


def _mmod_arch():
    def con5d(n):
        return [("relu",), ("affine",), ("con", n, 5, 2, 0)]

    def rcon5(n):
        return [("relu",), ("affine",), ("con", n, 5, 1, 2)]

    return [("con", 1, 9, 1, 4)] + rcon5(45) * 3 + con5d(32) + con5d(32) + con5d(16)


def match_arch(layers, arch, what):
    """Checks the parsed layers against the expected architecture; returns the program in
    evaluation order (input first) with the parsed weights attached."""
    if len(layers) != len(arch):
        raise SystemExit("%s: %d layers in the file, %d expected" % (what, len(layers), len(arch)))
    prog = []
    for d, a in zip(layers, arch):
        kind = a[0]
        if kind in ("tag", "skip"):
            ok = d["type"] == "wrapper"
        elif kind == "avg_pool_everything":
            ok = d["type"] == "avg_pool" and d["nr"] == 0 and d["nc"] == 0
        elif kind == "con":
            _, n, k, s, p = a
            ok = (d["type"] == "con" and d["num_filters"] == n and d["nr"] == d["nc"] == k and
                  d["stride_y"] == d["stride_x"] == s and d["padding_y"] == d["padding_x"] == p)
        elif kind in ("max_pool", "avg_pool"):
            _, k, s = a
            ok = (d["type"] == kind and d["nr"] == d["nc"] == k and d["stride_y"] == d["stride_x"] == s and
                  d["padding_y"] == d["padding_x"] == 0)
        elif kind == "fc":
            ok = d["type"] == "fc" and d["num_outputs"] == a[1] and d["bias_mode"] == 1
        elif kind == "affine":
            ok = d["type"] == "affine" and d["mode"] == 0 and not d["disabled"]
        else:
            ok = d["type"] == kind
        if not ok:
            raise SystemExit("%s: layer %d is %r, expected %r" % (what, len(prog), d.get("version", d["type"]), a))
        prog.append((a, d))
    prog.reverse()
    return prog


def check_bundle(out, expected_tarball_sha256, expected_version=None):
    """True when every package exists, each file matches its manifest's sha256, the manifests come
    from the expected source tarball and the current converter scripts."""
    digest = converter_digest()
    for name in (EMBEDDER, DETECTOR, SHAPE5):
        folder = os.path.join(out, name)
        try:
            with open(os.path.join(folder, "manifest.json")) as f:
                m = json.load(f)
        except (OSError, ValueError):
            print("%s: no readable manifest" % name)
            return False
        if m.get("source", {}).get("tarball_sha256") != expected_tarball_sha256:
            print("%s: built from another source tarball" % name)
            return False
        if expected_version and m.get("source", {}).get("debian_version") != expected_version:
            print("%s: built from another Debian version" % name)
            return False
        if m.get("built", {}).get("converter_sha256") != digest:
            print("%s: built by another version of the converter" % name)
            return False
        for fname, info in m.get("files", {}).items():
            path = os.path.join(folder, fname)
            if not os.path.isfile(path) or os.path.getsize(path) != info["bytes"] or sha256_file(path) != info["sha256"]:
                print("%s: %s is missing or changed" % (name, fname))
                return False
    return True


def widen_channels(filters, bias, in_channels, multiple):
    """The conv's filters [out, in, k, k] and bias with the input widened to in_channels (zero weights
    for the extra inputs) and, unless it is the 1-channel score layer, the output widened to a multiple
    of `multiple` (zero filters and bias). The extra channels hold exact zeros through affine (gamma =
    beta = 0) and relu, and add exact zeros to every sum, so the model computes the same function.
    Why: libtorch 2.x's oneDNN convolutions give wrong sums for 45 input channels on some AVX-512
    CPUs (AMD EPYC, Zen 5), and exact ones for 48 (docs/models.md, "The detector on AVX-512 CPUs")."""
    out, cin = filters.shape[0], filters.shape[1]
    wide_out = out if multiple <= 1 or out == 1 else -(-out // multiple) * multiple
    w = np.zeros((wide_out, in_channels) + filters.shape[2:], np.float32)
    w[:out, :cin] = filters
    b = None
    if bias is not None:
        b = np.zeros(wide_out, np.float32)
        b[:out] = bias.reshape(-1)
    return w, b


def _torch_module_base():
    return torch.nn.Module if "torch" in globals() else object


class DlibNet(_torch_module_base()):
    """Runs a matched dlib layer program with dlib's semantics.  Input: raw RGB 0..255, float32
    NCHW; the input layer's normalisation (x - mean)/256 is the first step."""

    def __init__(self, prog, mean, channel_multiple=1):
        """channel_multiple > 1 widens every hidden channel count to a multiple of it with zero weights
        (see widen_channels): the same function, computed on shapes libtorch's CPU kernels get right."""
        super().__init__()
        self.register_buffer("mean", torch.tensor(np.array(mean, dtype=np.float32).reshape(1, 3, 1, 1)))
        self.steps = []
        channels = 3   # channels of the tensor entering the next layer, after widening
        for i, (a, d) in enumerate(prog):
            kind = a[0]
            if kind == "con":
                # Widening follows one straight chain of convs (the detector); the ResNet's skips keep
                # their own channel counts, so it is never widened.
                w, b = widen_channels(d["filters"], d["bias"] if d["use_bias"] else None,
                                      channels if channel_multiple > 1 else d["filters"].shape[1], channel_multiple)
                channels = w.shape[0]
                self.register_buffer("w%d" % i, torch.from_numpy(w))
                self.register_buffer("b%d" % i, torch.from_numpy(b) if b is not None else None)
                self.steps.append(("con", i, a[3], a[4]))
            elif kind == "affine":
                width = channels if channel_multiple > 1 else d["gamma"].size
                g = np.zeros(width, np.float32)
                b = np.zeros(width, np.float32)
                g[:d["gamma"].size] = d["gamma"].reshape(-1)
                b[:d["beta"].size] = d["beta"].reshape(-1)
                self.register_buffer("g%d" % i, torch.from_numpy(g.reshape(1, -1, 1, 1)))
                self.register_buffer("b%d" % i, torch.from_numpy(b.reshape(1, -1, 1, 1)))
                self.steps.append(("affine", i))
            elif kind == "fc":
                # dlib: out = in @ W with W [num_inputs, num_outputs]; no bias (fc_no_bias)
                self.register_buffer("w%d" % i, torch.from_numpy(d["weights"].reshape(d["num_inputs"], d["num_outputs"]).T.copy()))
                self.steps.append(("fc", i))
            elif kind in ("max_pool", "avg_pool"):
                self.steps.append((kind, a[1], a[2]))
            else:
                self.steps.append(a)

    def forward(self, x):
        x = (x - self.mean) / 256.0
        tags = {}
        for st in self.steps:
            kind = st[0]
            if kind == "con":
                _, i, stride, pad = st
                x = F.conv2d(x, getattr(self, "w%d" % i), getattr(self, "b%d" % i), stride=stride, padding=pad)
            elif kind == "affine":
                x = x * getattr(self, "g%d" % st[1]) + getattr(self, "b%d" % st[1])
            elif kind == "relu":
                x = F.relu(x)
            elif kind == "max_pool":
                x = F.max_pool2d(x, st[1], st[2])
            elif kind == "avg_pool":
                x = F.avg_pool2d(x, st[1], st[2])
            elif kind == "avg_pool_everything":
                x = x.mean(dim=(2, 3))
            elif kind == "fc":
                x = x.reshape(x.shape[0], -1) @ getattr(self, "w%d" % st[1]).t()
            elif kind == "tag":
                tags[st[1]] = x
            elif kind == "skip":
                x = tags[st[1]]
            elif kind == "add_prev":
                # dlib's add_prev of tensors of different sizes: zero-pad both to the larger
                # channel count / height / width (at the end), then add.
                y = tags[st[1]]
                c, h, w = max(x.shape[1], y.shape[1]), max(x.shape[2], y.shape[2]), max(x.shape[3], y.shape[3])
                if tuple(x.shape[1:]) != (c, h, w):
                    x = F.pad(x, (0, w - x.shape[3], 0, h - x.shape[2], 0, c - x.shape[1]))
                if tuple(y.shape[1:]) != (c, h, w):
                    y = F.pad(y, (0, w - y.shape[3], 0, h - y.shape[2], 0, c - y.shape[1]))
                x = x + y
            else:
                raise RuntimeError(kind)
        return x


def save_traced(module, example, path, checks):
    module.eval()
    with torch.no_grad():
        traced = torch.jit.trace(module, example, check_trace=False)
        traced.save(path)
        loaded = torch.jit.load(path)
        for inp in checks:
            a = module(inp)
            b = loaded(inp)
            if a.shape != b.shape or float((a - b).abs().max()) > 1e-5:
                raise SystemExit("traced model differs from eager on shape %r" % (tuple(inp.shape),))


# ---------------------------------------------------------------------------------------------

def add_known_answers(folder, section):
    """Copies the known-answer photo and dlib's answers for this package (one section of KNOWN_ANSWERS)
    into the package; returns the file names to list in the manifest."""
    with open(os.path.join(HERE, KNOWN_ANSWERS)) as f:
        ka = json.load(f)
    if not os.path.isfile(KNOWN_ANSWERS_IMAGE):
        raise SystemExit("the known-answer photo %s is missing (apt-get install %s)" % (KNOWN_ANSWERS_IMAGE, ka["debian_package"]))
    shutil.copy(KNOWN_ANSWERS_IMAGE, os.path.join(folder, "known-answers.png"))
    doc = {"about": "dlib's own answers for this package on known-answers.png; checked by every process that opens "
                    "the bundle (org.homeward.faces.ModelSelfTest). Source: deploy/models/" + KNOWN_ANSWERS,
           "maker": "dlib 19.24 (C++)", "self_test_version": ka["self_test_version"],
           "image": "known-answers.png", "decoded_rgb_sha256": ka["decoded_rgb_sha256"], section: ka[section]}
    with open(os.path.join(folder, "known-answers.json"), "w") as f:
        json.dump(doc, f, indent=1)
    return ["known-answers.png", "known-answers.json"]


def write_manifest(folder, manifest, files):
    manifest["files"] = {f: {"sha256": sha256_file(os.path.join(folder, f)),
                             "bytes": os.path.getsize(os.path.join(folder, f))} for f in files}
    with open(os.path.join(folder, "manifest.json.tmp"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(os.path.join(folder, "manifest.json.tmp"), os.path.join(folder, "manifest.json"))


def fresh_dir(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)


def common(name, task, source, src_file, src_dir):
    return {
        "name": name,
        "version": BUNDLE_VERSION,
        "task": task,
        "licence": "CC0-1.0",
        "licence_note": "dlib-models LICENSE: CC0 1.0 Universal (Davis King released these model files into the "
                        "public domain). The LICENSE and README.md of dlib-models are copied into this folder.",
        "source": dict(source, file=src_file, file_sha256=sha256_file(os.path.join(src_dir, src_file))),
        "built": {"by": "deploy/models/build-default-bundle.sh (convert_dlib.py)",
                  "converter_sha256": converter_digest(),
                  "torch": torch.__version__,
                  "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")},
    }


def build_embedder(src, out, source):
    loss, inp, layers = dlib_format.read_dnn(open(os.path.join(src, "dlib_face_recognition_resnet_model_v1.dat"), "rb").read())
    assert inp["type"] == "input_rgb_image_sized" and inp["nr"] == inp["nc"] == 150, inp
    assert loss["type"] == "loss_metric", loss
    mean = [inp["avg_red"], inp["avg_green"], inp["avg_blue"]]
    net = DlibNet(match_arch(layers, _resnet_arch(), "face recognition ResNet"), mean)
    folder = os.path.join(out, EMBEDDER)
    fresh_dir(folder)
    torch.manual_seed(0)
    ex = torch.rand(2, 3, 150, 150) * 255
    save_traced(net, ex, os.path.join(folder, "model.pt"), [ex, torch.rand(1, 3, 150, 150) * 255, torch.rand(5, 3, 150, 150) * 255])
    for f in ("LICENSE", "README.md"):
        shutil.copy(os.path.join(src, f), os.path.join(folder, f))

    pad, size = 0.25, 150
    m = common(EMBEDDER, "face-embedding", source, "dlib_face_recognition_resnet_model_v1.dat", src)
    m.update({
        "format": "torchscript",
        "architecture": "dlib anet_type (dnn_face_recognition_ex.cpp): ResNet with 29 conv layers, "
                        "loss_metric (margin %g, distance threshold %g)" % (loss["margin"], loss["dist_thresh"]),
        "input": {
            "name": "chips", "dtype": "float32", "shape": ["N", 3, size, size], "layout": "NCHW",
            "channel_order": "RGB", "value_range": [0, 255],
            "pixels": "raw 8-bit values as float (no scaling); the batch dimension is free",
            "normalisation": {"inside_model": True, "formula": "(x - mean[c]) / 256",
                              "mean": [dlib_port.f32(v) for v in mean], "divisor": 256.0},
        },
        "alignment": dlib_port.face_chip_manifest(size, pad),
        "output": {
            "name": "descriptor", "dtype": "float32", "shape": ["N", 128],
            "meaning": "dlib face descriptor, NOT L2-normalised (norms about 1.2-1.6 on test photos). Same person when "
                       "the Euclidean distance between two descriptors is below the threshold; normalise first if a "
                       "cosine index is used (then the 0.6 threshold no longer applies as is).",
            "distance": "euclidean",
            "same_person_threshold": 0.6,
            "reference_accuracy": "LFW 99.38% (dlib README: mean error 0.993833 +- 0.00272732)",
        },
    })
    write_manifest(folder, m, ["model.pt", "LICENSE", "README.md"] + add_known_answers(folder, "embedder"))


def build_detector(src, out, source):
    loss, inp, layers = dlib_format.read_dnn(open(os.path.join(src, "mmod_human_face_detector.dat"), "rb").read())
    assert inp["type"] == "input_rgb_image_pyramid", inp
    assert loss["type"] == "loss_mmod", loss
    opts = loss["options"]
    assert len(opts["detector_windows"]) == 1 and not opts["use_bounding_box_regression"], opts
    mean = [inp["avg_red"], inp["avg_green"], inp["avg_blue"]]
    prog = match_arch(layers, _mmod_arch(), "MMOD face detector")
    net = DlibNet(prog, mean, channel_multiple=DETECTOR_CHANNEL_MULTIPLE)
    folder = os.path.join(out, DETECTOR)
    fresh_dir(folder)
    torch.manual_seed(0)
    ex = torch.rand(1, 3, 200, 180) * 255
    save_traced(net, ex, os.path.join(folder, "model.pt"), [ex, torch.rand(1, 3, 321, 97) * 255])
    for f in ("LICENSE", "README.md"):
        shutil.copy(os.path.join(src, f), os.path.join(folder, f))

    convs = [(a[2], a[3], a[4]) for a, _ in prog if a[0] == "con"]   # (kernel, stride, padding), input first
    m = common(DETECTOR, "face-detection", source, "mmod_human_face_detector.dat", src)
    m.update({
        "format": "torchscript",
        "architecture": "dlib MMOD CNN (dnn_mmod_face_detection_ex.cpp): 3 stride-2 5x5 convs, 3 5x5 convs, "
                        "one 9x9 conv to a 1-channel score map; batch norm folded to affine as dlib does on load",
        "input": {
            "name": "tiled_pyramid", "dtype": "float32", "shape": [1, 3, "H", "W"], "layout": "NCHW",
            "channel_order": "RGB", "value_range": [0, 255],
            "pixels": "the tiled image pyramid built as described in 'pyramid' (raw pixel units, background = mean)",
            "normalisation": {"inside_model": True, "formula": "(x - mean[c]) / 256",
                              "mean": [dlib_port.f32(v) for v in mean], "divisor": 256.0},
        },
        "output": {
            "name": "scores", "dtype": "float32", "shape": [1, 1, "h", "w"],
            "size_rule": "each of the three stride-2 5x5 convs maps n -> floor((n - 5) / 2) + 1; the other convs "
                         "keep the size: h = f(f(f(H))), w = f(f(f(W)))",
            "meaning": "MMOD detection score of the %dx%d detector window centred on each cell; a face where "
                       "score > threshold" % (opts["detector_windows"][0]["width"], opts["detector_windows"][0]["height"]),
        },
        "layers_input_first": [{"kernel": k, "stride": s, "padding": p} for k, s, p in convs],
        "channel_widening": {
            "multiple": DETECTOR_CHANNEL_MULTIPLE,
            "why": "hidden channel counts are widened with zero weights (45 -> 48), which computes the same "
                   "function; libtorch's oneDNN convolutions are wrong for 45 input channels on some AVX-512 CPUs",
        },
        "detection": dlib_port.detector_manifest(inp, opts, convs),
    })
    write_manifest(folder, m, ["model.pt", "LICENSE", "README.md"] + add_known_answers(folder, "detector"))


def build_shape_predictor(src, out, source):
    datname = "shape_predictor_5_face_landmarks.dat"
    sp = dlib_format.read_shape_predictor(open(os.path.join(src, datname), "rb").read())
    folder = os.path.join(out, SHAPE5)
    fresh_dir(folder)
    shutil.copy(os.path.join(src, datname), os.path.join(folder, datname))
    for f in ("LICENSE", "README.md"):
        shutil.copy(os.path.join(src, f), os.path.join(folder, f))

    f32 = dlib_port.f32

    def f32s(vs):
        return [f32(v) for v in vs]

    forests = []
    for c, trees in enumerate(sp["forests"]):
        forests.append({
            "anchor_idx": [int(i) for i in sp["anchor_idx"][c]],
            "deltas": [[f32(dx), f32(dy)] for dx, dy in sp["deltas"][c]],
            "trees": [{"splits": [[int(a), int(b), f32(t)] for a, b, t in tr["splits"]],
                       "leaf_values": [f32s(lv) for lv in tr["leaf_values"]]} for tr in trees],
        })
    doc = {"format": "homeward-dlib-shape-predictor", "format_version": 1,
           "num_parts": int(sp["initial_shape"].size // 2),
           "initial_shape": f32s(sp["initial_shape"]),
           "cascades": forests}
    text = json.dumps(doc, separators=(",", ":"))
    # Prove the JSON is exact: reading numbers as double and casting to float gives the weights back.
    back = json.loads(text)
    check = dlib_port.ShapePredictor.from_json(back)
    ref = dlib_port.ShapePredictor.from_parsed(sp)
    if not check.equals(ref):
        raise SystemExit("shape predictor JSON does not read back exactly")
    with open(os.path.join(folder, "shape_predictor_5.json"), "w") as f:
        f.write(text)

    m = common(SHAPE5, "face-landmarks-5", source, datname, src)
    n_trees = sum(len(t) for t in sp["forests"])
    m.update({
        "format": "dlib-shape-predictor (regression-tree cascade, run in plain Java)",
        "model": {"cascades": len(sp["forests"]), "trees_per_cascade": len(sp["forests"][0]),
                  "tree_depth": int(np.log2(len(sp["forests"][0][0]["leaf_values"]))),
                  "splits_per_tree": len(sp["forests"][0][0]["splits"]),
                  "leaves_per_tree": len(sp["forests"][0][0]["leaf_values"]),
                  "feature_pixels_per_cascade": len(sp["anchor_idx"][0]), "total_trees": n_trees},
        "points": dlib_port.SHAPE5_POINTS,
        "input": {"image": "the RGB image the detector ran on (8-bit); features read its grayscale (r+g+b)/3 "
                           "(integer division) at single pixels",
                  "box": "a face rectangle from dlib-face-detector-mmod (integer, inclusive corners)"},
        "output": {"meaning": "5 landmarks as integer pixel coordinates (rounded), in the order of 'points'"},
        "converted_file": {"name": "shape_predictor_5.json", "layout": dlib_port.SHAPE_JSON_LAYOUT},
        "dat_serialization": dlib_port.SHAPE_DAT_FORMAT,
        "algorithm": dlib_port.SHAPE_ALGORITHM,
    })
    write_manifest(folder, m, [datname, "shape_predictor_5.json", "LICENSE", "README.md"]
                   + add_known_answers(folder, "landmarks"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", help="folder with the dlib-models files")
    ap.add_argument("--out", required=True, help="models folder ($HOMEWARD_MODELS)")
    ap.add_argument("--source-json", help="JSON describing the Debian source (package, version, tarball, sha256)")
    ap.add_argument("--check", metavar="TARBALL_SHA256",
                    help="only check that the bundle in --out is complete and current; exit 0 if so, 1 if not")
    ap.add_argument("--only", choices=[EMBEDDER, DETECTOR, SHAPE5], action="append")
    ap.add_argument("--expect-version", help="with --check: the Debian version the manifests must name")
    ap.add_argument("--print-digest", action="store_true", help="print the converter digest and exit")
    args = ap.parse_args()
    if args.print_digest:
        print(converter_digest())
        return
    if args.check:
        sys.exit(0 if check_bundle(args.out, args.check, args.expect_version) else 1)
    if not args.src or not args.source_json:
        ap.error("--src and --source-json are required to build")
    with open(args.source_json) as f:
        source = json.load(f)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    os.makedirs(args.out, exist_ok=True)
    todo = args.only or [EMBEDDER, DETECTOR, SHAPE5]
    if EMBEDDER in todo:
        build_embedder(args.src, args.out, source)
        print("built", EMBEDDER)
    if DETECTOR in todo:
        build_detector(args.src, args.out, source)
        print("built", DETECTOR)
    if SHAPE5 in todo:
        build_shape_predictor(args.src, args.out, source)
        print("built", SHAPE5)


if __name__ == "__main__":
    main()
