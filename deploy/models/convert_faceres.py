#!/usr/bin/python3
"""Converts the "HSE FaceRes" face descriptor of the npm package @vladmandic/human into TorchScript.

  convert_faceres.py --out DIR [--tarball FILE]

Experimental second embedder (not part of the default bundle). What it does:
  1. `npm pack @vladmandic/human@3.3.6` into a temporary folder (or takes --tarball) and checks the
     tarball against npm's dist.integrity, pinned below (sha512).
  2. Reads models/faceres.json (a TensorFlow.js graph model) and models/faceres.bin from the tarball
     and dequantises the weights as the weightsManifest declares (float16 here; uint8/uint16 affine
     quantisation is handled too).
  3. Builds a torch module by walking the graph's nodes (no architecture is hard-coded: every op's
     attributes are read, TF 'SAME' padding is reproduced exactly with F.pad, NHWC becomes NCHW).
  4. Writes DIR/model.pt (TorchScript, traced), DIR/manifest.json, DIR/known-answers.json, DIR/LICENSE.

model.pt contract:
  forward(x)      x float32 [N,3,224,224] RGB, raw 0..255 (no normalisation: the graph takes 0..255 as is)
                  -> descriptor float32 [N,1024] (global_pooling/Mean; non-negative, NOT L2-normalised)
  forward_all(x)  -> (descriptor [N,1024], age softmax [N,100], gender sigmoid [N,1])
                  (age_pred/Softmax: 100 age classes; gender_pred/Sigmoid: human reads > 0.5 as male)

The ops are kept as the graph has them, except that each Relu -> Minimum(6) -> Maximum(0) runs as one clamp (the
same numbers) and the 1x1 convolutions run as matrix products (libtorch 2.7's oneDNN crashes on them on some
CPUs; see POINTWISE_NOTE). The model was checked against TensorFlow.js 4.22 (tfjs-backend-cpu) running the
original graph; see VERIFICATION. Run with Debian's /usr/bin/python3 (python3-torch, python3-numpy) and npm.
"""

import argparse
import base64
import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

NAME = "hse-faceres-v1"
PACKAGE_VERSION = "1.0.0"
NPM_PACKAGE = "@vladmandic/human"
NPM_VERSION = "3.3.6"
# npm view @vladmandic/human@3.3.6 dist.integrity
NPM_INTEGRITY = "sha512-Nr5mPfq1gQ+uKeXY5uM3Fj8UxvF5CEh2s6txM5wRThqaW0mF9huooOuZSrT8hhGho0hGaXLFdAwfD/2+teCv6A=="
MODEL_JSON = "package/models/faceres.json"
LICENSE_FILE = "package/LICENSE"
PACKAGE_JSON = "package/package.json"
INPUT_SIZE = 224
DESCRIPTOR = "global_pooling/Mean"
AGE = "age_pred/Softmax"
GENDER = "gender_pred/Sigmoid"
KNOWN_ANSWER_SEEDS = (1, 2, 3)
POINTWISE_NOTE = ("the 13 pointwise (1x1, stride 1) convolutions are computed as matrix products "
                  "(bmm of W[out,in] with x.flatten(2)), not with conv2d: the same function up to float32 "
                  "rounding. Why: "
                  "libtorch 2.7.1 (DJL 0.36) crashes the JVM with SIGFPE inside oneDNN "
                  "(brgemm_convolution_utils::brg_blocking_t::est_eff_1x1) on this project's AMD EPYC (AVX-512) "
                  "machine, also with ONEDNN_MAX_CPU_ISA=AVX2, when the conv2d version is given a channels-last "
                  "input (an NHWC array transposed to NCHW without a copy); a contiguous NCHW input runs it "
                  "(checked on 2026-12-04 at batch 1, 2, 7 and 32). The matrix products run on either.")
# Measured when the converter was written (comparison scripts not in the repo): model.pt vs TensorFlow.js 4.22
# (tfjs-backend-cpu, pure JS) running models/faceres.json on the same inputs.
VERIFICATION = {
    "reference": "@tensorflow/tfjs 4.22.0 (the version human 3.3.6 is built with), CPU backend, tf.loadGraphModel on "
                 "faceres.json + faceres.bin from the same tarball",
    "inputs": "3 LCG chips (the known answers), 2 numpy uniform float chips, astronaut.png face crop (x 150..290, "
              "y 40..200) resized to 224 two ways",
    "max_abs_diff": {"descriptor": 2.95e-06, "age_softmax": 4.8e-08, "gender": 3.3e-07},
    "max_relative_diff_descriptor": 1.11e-06,
    "djl": "the same model.pt under DJL 0.36 / libtorch 2.7.1: descriptor max abs diff 4.5e-06 against tfjs",
}
HERE = os.path.dirname(os.path.abspath(__file__))


def sha256_bytes(b):
    return hashlib.sha256(b).hexdigest()


def sha256_file(path):
    with open(path, "rb") as f:
        return sha256_bytes(f.read())


def converter_digest():
    with open(os.path.abspath(__file__), "rb") as f:
        return sha256_bytes(f.read())


def f32(v):
    """A float32 as the shortest decimal that reads back to it (for JSON)."""
    return float(np.format_float_positional(np.float32(v), unique=True, trim="-"))


# ---------------------------------------------------------------------------------------------
# Fetch and check

def npm_pack(workdir):
    spec = "%s@%s" % (NPM_PACKAGE, NPM_VERSION)
    res = subprocess.run(["npm", "pack", spec, "--json"], cwd=workdir, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    if res.returncode != 0:
        raise SystemExit("npm pack %s failed:\n%s" % (spec, res.stderr.decode(errors="replace")))
    info = json.loads(res.stdout.decode())
    info = info[0] if isinstance(info, list) else info
    path = os.path.join(workdir, info["filename"])
    if not os.path.isfile(path):
        raise SystemExit("npm pack did not write %s" % path)
    return path


def check_integrity(data):
    algo, _, want = NPM_INTEGRITY.partition("-")
    got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if got != want:
        raise SystemExit("tarball integrity mismatch: %s-%s, expected %s" % (algo, got, NPM_INTEGRITY))


def read_members(tgz_bytes, names):
    out = {}
    with tarfile.open(fileobj=io.BytesIO(tgz_bytes), mode="r:gz") as tf:
        for m in tf.getmembers():
            if m.name in names and m.isfile():
                out[m.name] = tf.extractfile(m).read()
    return out


# ---------------------------------------------------------------------------------------------
# TFJS graph model: weights

_DTYPES = {"float32": np.float32, "int32": np.int32, "bool": np.bool_, "float16": np.float16,
           "uint8": np.uint8, "uint16": np.uint16}


def dequantise(manifest, blobs):
    """weightsManifest + the concatenated shard bytes -> {name: numpy array} (as TFJS decodeWeights)."""
    weights = {}
    for group in manifest:
        data = b"".join(blobs[p] for p in group["paths"])
        off = 0
        for spec in group["weights"]:
            shape = [int(s) for s in spec["shape"]]
            n = int(np.prod(shape)) if shape else 1
            q = spec.get("quantization")
            if spec["dtype"] == "string":
                raise SystemExit("string weights are not supported (%s)" % spec["name"])
            if q:
                qdtype = q["dtype"]
                raw = np.frombuffer(data, dtype=_DTYPES[qdtype], count=n, offset=off)
                off += n * np.dtype(_DTYPES[qdtype]).itemsize
                if qdtype == "float16":
                    vals = raw.astype(np.float32)
                elif qdtype in ("uint8", "uint16"):
                    # TFJS: value = q * scale + min, computed in float32
                    vals = raw.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"])
                else:
                    raise SystemExit("unknown quantisation %r for %s" % (q, spec["name"]))
                target = q.get("original_dtype", spec["dtype"])
                if target == "int32":
                    vals = np.round(vals).astype(np.int32)
                elif target != "float32":
                    raise SystemExit("unsupported original_dtype %r for %s" % (target, spec["name"]))
            else:
                dt = _DTYPES[spec["dtype"]]
                vals = np.frombuffer(data, dtype=dt, count=n, offset=off).copy()
                off += n * np.dtype(dt).itemsize
            weights[spec["name"]] = vals.reshape(shape)
        if off != len(data):
            raise SystemExit("weights use %d bytes, the shards hold %d" % (off, len(data)))
    return weights


# ---------------------------------------------------------------------------------------------
# TFJS graph model: ops -> torch

def _attr(node, key, default=None):
    a = node.get("attr", {}).get(key)
    if a is None:
        return default
    if "list" in a:
        lst = a["list"]
        if "i" in lst:
            return [int(v) for v in lst["i"]]
        if "s" in lst:
            return [base64.b64decode(v).decode() for v in lst["s"]]
        if "f" in lst:
            return [float(v) for v in lst["f"]]
        return []
    if "s" in a:
        return base64.b64decode(a["s"]).decode()
    if "i" in a:
        return int(a["i"])
    if "f" in a:
        return float(a["f"])
    if "b" in a:
        return bool(a["b"])
    if "type" in a:
        return a["type"]
    return a


def _input_name(ref):
    """'node:1' -> ('node', 1); '^node' (control input) -> None."""
    if ref.startswith("^"):
        return None
    name, _, idx = ref.partition(":")
    return name, int(idx or 0)


def same_pads(size, k, stride, dilation):
    """TensorFlow 'SAME': out = ceil(size/stride); the odd pixel of padding goes after (bottom/right)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


NHWC_TO_NCHW_AXIS = {0: 0, 1: 2, 2: 3, 3: 1}


class TfjsGraph(torch.nn.Module):
    """Executes a TFJS graph (NHWC ops) in NCHW. Consts are buffers; the program is a list of
    steps in topological order. Only the ops this model family uses are implemented; anything else
    stops the conversion."""

    def __init__(self, topology, weights, input_name, outputs, input_hw, pointwise_as_matmul=True):
        super().__init__()
        nodes = {n["name"]: n for n in topology["node"]}
        self.input_name = input_name
        self.outputs = list(outputs)
        self.steps = []
        self.ops_used = {}
        rank = {input_name: 4}          # rank of each computed tensor (4 = feature map in NCHW)
        hw = {input_name: tuple(input_hw)}   # spatial size of each feature map
        consts = {}

        def const(name):
            if name not in consts:
                node = nodes[name]
                if node["op"] != "Const":
                    return None
                if name not in weights:
                    raise SystemExit("const %s has no weights" % name)
                consts[name] = weights[name]
            return consts[name]

        buf_id = [0]

        def buffer(arr):
            key = "c%d" % buf_id[0]
            buf_id[0] += 1
            self.register_buffer(key, torch.from_numpy(np.ascontiguousarray(arr)))
            return key

        order, seen = [], set()

        def visit(name):
            if name in seen:
                return
            seen.add(name)
            node = nodes[name]
            for ref in node.get("input", []):
                r = _input_name(ref)
                if r is not None:
                    visit(r[0])
            order.append(name)

        for o in self.outputs:
            visit(o)

        for name in order:
            node = nodes[name]
            op = node["op"]
            if op == "Const":
                continue
            if op == "Placeholder":
                if name != input_name:
                    raise SystemExit("unexpected placeholder %s" % name)
                continue
            self.ops_used[op] = self.ops_used.get(op, 0) + 1
            ins = [r for r in (_input_name(i) for i in node.get("input", [])) if r is not None]
            for n_, idx in ins:
                if idx != 0:
                    raise SystemExit("%s: multi-output inputs are not supported" % name)
            names = [n_ for n_, _ in ins]
            dt = _attr(node, "T", "DT_FLOAT")
            if dt not in ("DT_FLOAT",):
                raise SystemExit("%s: dtype %s is not supported" % (name, dt))

            if op in ("Conv2D", "DepthwiseConv2dNative", "_FusedConv2D", "FusedDepthwiseConv2dNative"):
                x = names[0]
                if rank.get(x) != 4:
                    raise SystemExit("%s: input is not a feature map" % name)
                k = const(names[1])
                if _attr(node, "data_format", "NHWC") != "NHWC":
                    raise SystemExit("%s: only NHWC is supported" % name)
                st = _attr(node, "strides", [1, 1, 1, 1])
                dl = _attr(node, "dilations", [1, 1, 1, 1])
                if st[0] != 1 or st[3] != 1 or dl[0] != 1 or dl[3] != 1:
                    raise SystemExit("%s: batch/channel strides or dilations" % name)
                kh, kw = k.shape[0], k.shape[1]
                h, w = hw[x]
                padding = _attr(node, "padding", "VALID")
                if padding == "SAME":
                    pt, pb = same_pads(h, kh, st[1], dl[1])
                    pl, pr = same_pads(w, kw, st[2], dl[2])
                elif padding == "VALID":
                    pt = pb = pl = pr = 0
                elif padding == "EXPLICIT":
                    e = _attr(node, "explicit_paddings", [])
                    pt, pb, pl, pr = e[2], e[3], e[4], e[5]
                else:
                    raise SystemExit("%s: padding %s" % (name, padding))
                if op in ("Conv2D", "_FusedConv2D"):
                    wt = np.transpose(k, (3, 2, 0, 1))          # [kh,kw,in,out] -> [out,in,kh,kw]
                    groups = 1
                else:
                    cin, mult = k.shape[2], k.shape[3]
                    wt = np.transpose(k, (2, 3, 0, 1)).reshape(cin * mult, 1, kh, kw)   # out = c*mult + m
                    groups = cin
                fused = _attr(node, "fused_ops", []) if op.startswith(("_Fused", "Fused")) else []
                bias = None
                post = []
                for fo in fused:
                    if fo == "BiasAdd":
                        bias = buffer(const(names[2]).astype(np.float32).reshape(1, -1, 1, 1))
                    elif fo in ("Relu", "Relu6"):
                        post.append(fo)
                    else:
                        raise SystemExit("%s: fused op %s is not supported" % (name, fo))
                oh = (h + pt + pb - ((kh - 1) * dl[1] + 1)) // st[1] + 1
                ow = (w + pl + pr - ((kw - 1) * dl[2] + 1)) // st[2] + 1
                if (pointwise_as_matmul and groups == 1 and kh == kw == 1 and st[1] == st[2] == 1
                        and not any((pl, pr, pt, pb))):
                    # 1x1 conv as a matrix product: libtorch 2.7's oneDNN crashes (SIGFPE) on 1x1 convs on
                    # some CPUs; see POINTWISE_NOTE
                    self.steps.append(("pointwise", name, x, buffer(wt.reshape(wt.shape[0], wt.shape[1])
                                                                     .astype(np.float32)), bias, tuple(post)))
                else:
                    self.steps.append(("conv", name, x, buffer(wt.astype(np.float32)), (st[1], st[2]),
                                       (dl[1], dl[2]), (pl, pr, pt, pb), groups, bias, tuple(post)))
                rank[name], hw[name] = 4, (oh, ow)
            elif op in ("Add", "AddV2", "Mul", "Sub", "Minimum", "Maximum", "BiasAdd"):
                a, b = names
                ca, cb = const(a), const(b)
                if ca is not None and cb is None:
                    a, b, ca, cb = b, a, cb, ca
                    if op == "Sub":
                        raise SystemExit("%s: const - tensor is not supported" % name)
                if ca is not None or cb is None:
                    raise SystemExit("%s: expected tensor (op) const" % name)
                r = rank[a]
                c = cb.astype(np.float32)
                if c.ndim == 0:
                    operand = ("scalar", float(c))
                elif r == 4 and c.ndim <= 4:
                    if c.size != c.shape[-1]:
                        raise SystemExit("%s: only per-channel constants are supported" % name)
                    operand = ("tensor", buffer(c.reshape(1, -1, 1, 1)))
                elif r == 2 and c.ndim <= 2:
                    operand = ("tensor", buffer(c.reshape(1, -1)))
                else:
                    raise SystemExit("%s: unsupported constant shape %s" % (name, c.shape))
                self.steps.append(("binary", name, a, op, operand))
                rank[name], hw[name] = r, hw.get(a)
            elif op in ("Relu", "Relu6", "Sigmoid", "Softmax", "Identity"):
                x = names[0]
                if op == "Softmax" and rank[x] != 2:
                    raise SystemExit("%s: softmax of rank %d" % (name, rank[x]))
                self.steps.append(("unary", name, x, op))
                rank[name], hw[name] = rank[x], hw.get(x)
            elif op == "Mean":
                x = names[0]
                axes = sorted(NHWC_TO_NCHW_AXIS[int(a) % 4] for a in np.atleast_1d(const(names[1])))
                keep = _attr(node, "keep_dims", False)
                if rank[x] != 4 or keep or axes != [2, 3]:
                    raise SystemExit("%s: only the global spatial mean is supported" % name)
                self.steps.append(("mean", name, x, tuple(axes)))
                rank[name] = 2
            elif op in ("_FusedMatMul", "MatMul"):
                x = names[0]
                wm = const(names[1]).astype(np.float32)
                if rank[x] != 2:
                    raise SystemExit("%s: matmul of rank %d" % (name, rank[x]))
                if _attr(node, "transpose_a", False):
                    raise SystemExit("%s: transpose_a" % name)
                if _attr(node, "transpose_b", False):
                    wm = wm.T
                fused = _attr(node, "fused_ops", []) if op == "_FusedMatMul" else []
                bias, post = None, []
                for fo in fused:
                    if fo == "BiasAdd":
                        bias = buffer(const(names[2]).astype(np.float32).reshape(1, -1))
                    elif fo in ("Relu", "Relu6", "Sigmoid"):
                        post.append(fo)
                    else:
                        raise SystemExit("%s: fused op %s is not supported" % (name, fo))
                self.steps.append(("matmul", name, x, buffer(np.ascontiguousarray(wm)), bias, tuple(post)))
                rank[name] = 2
            else:
                raise SystemExit("%s: op %s is not supported" % (name, op))
        self.fused = self._fuse_relu6()
        # which steps read each tensor: intermediates read once are updated in place and dropped early
        readers = {}
        for i, st in enumerate(self.steps):
            readers.setdefault(st[2], []).append(i)
        self.last_use = {k: v[-1] for k, v in readers.items()}
        for o in self.outputs:
            self.last_use[o] = len(self.steps)
        self.inplace = {i for i, st in enumerate(self.steps)
                        if st[0] in ("binary", "clamp", "unary") and len(readers[st[2]]) == 1
                        and st[2] != self.input_name and st[2] not in self.outputs}

    def _fuse_relu6(self):
        """Relu -> Minimum(a) -> Maximum(b) with scalar a >= 0 >= b is exactly clamp(x, 0, a) (Keras' ReLU6 as
        the TFJS converter writes it); one pass instead of three. Returns how many were fused."""
        readers = {}
        for st in self.steps:
            readers[st[2]] = readers.get(st[2], 0) + 1
        out, i, n = [], 0, 0
        st = self.steps
        while i < len(st):
            if (i + 2 < len(st) and st[i][0] == "unary" and st[i][3] == "Relu"
                    and st[i + 1][0] == "binary" and st[i + 1][3] == "Minimum" and st[i + 1][2] == st[i][1]
                    and st[i + 1][4][0] == "scalar" and st[i + 1][4][1] >= 0
                    and st[i + 2][0] == "binary" and st[i + 2][3] == "Maximum" and st[i + 2][2] == st[i + 1][1]
                    and st[i + 2][4][0] == "scalar" and st[i + 2][4][1] <= 0
                    and readers.get(st[i][1]) == 1 and readers.get(st[i + 1][1]) == 1
                    and st[i][1] not in self.outputs and st[i + 1][1] not in self.outputs):
                out.append(("clamp", st[i + 2][1], st[i][2], 0.0, st[i + 1][4][1]))
                i += 3
                n += 1
            else:
                out.append(st[i])
                i += 1
        self.steps = out
        return n

    @staticmethod
    def _post(y, post):
        for p in post:
            if p == "Relu":
                y = F.relu(y)
            elif p == "Relu6":
                y = torch.clamp(y, 0.0, 6.0)
            elif p == "Sigmoid":
                y = torch.sigmoid(y)
        return y

    def run(self, x):
        env = {self.input_name: x}
        for i, st in enumerate(self.steps):
            kind, name, src = st[0], st[1], st[2]
            v = env[src]
            inplace = i in self.inplace
            if kind == "conv":
                _, _, _, wkey, stride, dil, pads, groups, bkey, post = st
                pl, pr, pt, pb = pads
                if pl == pr and pt == pb:     # symmetric: the conv's own zero padding (same numbers, no copy)
                    pad2 = (pt, pl)
                else:                         # TF 'SAME' with stride 2: the extra row/column goes bottom/right
                    v = F.pad(v, pads)
                    pad2 = (0, 0)
                y = F.conv2d(v, getattr(self, wkey), None, stride=stride, padding=pad2, dilation=dil, groups=groups)
                if bkey is not None:
                    y = y + getattr(self, bkey)
                y = self._post(y, post)
            elif kind == "pointwise":
                _, _, _, wkey, bkey, post = st
                w = getattr(self, wkey)
                y = torch.bmm(w.expand(v.shape[0], -1, -1), v.flatten(2)).reshape(v.shape[0], -1, v.shape[2], v.shape[3])
                if bkey is not None:
                    y = y + getattr(self, bkey)
                y = self._post(y, post)
            elif kind == "binary":
                op, (okind, oval) = st[3], st[4]
                c = oval if okind == "scalar" else getattr(self, oval)
                if op in ("Add", "AddV2", "BiasAdd"):
                    y = v.add_(c) if inplace else v + c
                elif op == "Sub":
                    y = v.sub_(c) if inplace else v - c
                elif op == "Mul":
                    y = v.mul_(c) if inplace else v * c
                elif op == "Minimum":
                    y = torch.clamp(v, max=c) if okind == "scalar" else torch.minimum(v, c)
                else:
                    y = torch.clamp(v, min=c) if okind == "scalar" else torch.maximum(v, c)
            elif kind == "clamp":
                y = v.clamp_(st[3], st[4]) if inplace else torch.clamp(v, st[3], st[4])
            elif kind == "unary":
                op = st[3]
                if op == "Relu":
                    y = v.relu_() if inplace else F.relu(v)
                elif op == "Relu6":
                    y = torch.clamp(v, 0.0, 6.0)
                elif op == "Sigmoid":
                    y = torch.sigmoid(v)
                elif op == "Softmax":
                    y = torch.softmax(v, dim=-1)
                else:
                    y = v
            elif kind == "mean":
                y = v.mean(dim=st[3])
            elif kind == "matmul":
                _, _, _, wkey, bkey, post = st
                y = torch.matmul(v, getattr(self, wkey))
                if bkey is not None:
                    y = y + getattr(self, bkey)
                y = self._post(y, post)
            else:
                raise RuntimeError(kind)
            env[name] = y
            if self.last_use.get(src, -1) <= i and src != self.input_name:
                del env[src]
        return [env[o] for o in self.outputs]


class FaceRes(torch.nn.Module):
    """forward(x) -> descriptor [N,1024]; forward_all(x) -> (descriptor, age softmax, gender)."""

    def __init__(self, graph):
        super().__init__()
        self.graph = graph

    def forward(self, x):
        return self.graph.run(x)[0]

    def forward_all(self, x):
        d, a, g = self.graph.run(x)
        return d, a, g


def build_model(model_json, weights, pointwise_as_matmul=True):
    topo = model_json["modelTopology"]
    sig = model_json.get("signature", {})
    inputs = list(sig.get("inputs", {}).keys()) or ["input_1"]
    if inputs != ["input_1"]:
        raise SystemExit("unexpected inputs %r" % inputs)
    dims = [int(d["size"]) for d in sig["inputs"]["input_1"]["tensorShape"]["dim"]]
    if dims[1:] != [INPUT_SIZE, INPUT_SIZE, 3]:
        raise SystemExit("unexpected input shape %r" % dims)
    outs = {o.split(":")[0] for o in sig.get("outputs", {})}
    if outs != {DESCRIPTOR, AGE, GENDER}:
        raise SystemExit("unexpected outputs %r" % sorted(outs))
    graph = TfjsGraph(topo, weights, "input_1", [DESCRIPTOR, AGE, GENDER], (INPUT_SIZE, INPUT_SIZE),
                      pointwise_as_matmul)
    return FaceRes(graph).eval()


# ---------------------------------------------------------------------------------------------
# Known answers: chips any language can regenerate

LCG_DOC = ("pseudo-random chip: s = seed; for each value in HWC order (row-major: y, then x, then channel R,G,B): "
           "s = (s * 1103515245 + 12345) mod 2^31; value = (s >> 16) & 255. The model input is that uint8 image "
           "as float32, transposed to [1,3,224,224] (NCHW).")


def lcg_chip(seed, size=INPUT_SIZE):
    n = size * size * 3
    out = np.empty(n, dtype=np.uint8)
    s = seed
    # vectorised in blocks would be faster; 150k steps in Python take ~0.1 s
    a, c, m = 1103515245, 12345, 1 << 31
    for i in range(n):
        s = (s * a + c) % m
        out[i] = (s >> 16) & 255
    return out.reshape(size, size, 3)


def to_input(chips_hwc):
    """uint8 [N,H,W,3] (or [H,W,3]) -> float32 tensor [N,3,H,W]."""
    a = np.asarray(chips_hwc)
    if a.ndim == 3:
        a = a[None]
    return torch.from_numpy(np.ascontiguousarray(a.transpose(0, 3, 1, 2)).astype(np.float32))


def known_answers(module):
    items = []
    for seed in KNOWN_ANSWER_SEEDS:
        chip = lcg_chip(seed)
        with torch.no_grad():
            d, a, g = module.forward_all(to_input(chip))
        items.append({"seed": seed, "input_uint8_hwc_sha256": sha256_bytes(chip.tobytes()),
                      "descriptor": [f32(v) for v in d[0].numpy()],
                      "descriptor_l2_norm": f32(float(d[0].norm())),
                      "age_softmax": [f32(v) for v in a[0].numpy()],
                      "gender": f32(float(g[0, 0]))})
    return {"about": "answers of model.pt on reproducible inputs; a port or a new build must match them",
            "input": LCG_DOC, "tolerance": {"max_abs_diff": 1e-4, "note": "float32 rounding of different kernels"},
            "cases": items}


# ---------------------------------------------------------------------------------------------

def write_manifest(folder, manifest, files):
    manifest["files"] = {f: {"sha256": sha256_file(os.path.join(folder, f)),
                             "bytes": os.path.getsize(os.path.join(folder, f))} for f in files}
    tmp = os.path.join(folder, "manifest.json.tmp")
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(tmp, os.path.join(folder, "manifest.json"))


def convert(tgz, out, pointwise_as_matmul=True):
    check_integrity(tgz)
    bin_names = []
    members = read_members(tgz, {MODEL_JSON, LICENSE_FILE, PACKAGE_JSON})
    if MODEL_JSON not in members:
        raise SystemExit("%s is not in the tarball" % MODEL_JSON)
    model_json = json.loads(members[MODEL_JSON].decode())
    for group in model_json["weightsManifest"]:
        bin_names += ["package/models/" + p for p in group["paths"]]
    members.update(read_members(tgz, set(bin_names)))
    missing = [n for n in bin_names if n not in members]
    if missing:
        raise SystemExit("weight shards missing from the tarball: %s" % missing)
    blobs = {n[len("package/models/"):]: members[n] for n in bin_names}
    weights = dequantise(model_json["weightsManifest"], blobs)
    pkg = json.loads(members[PACKAGE_JSON].decode())
    if pkg.get("name") != NPM_PACKAGE or pkg.get("version") != NPM_VERSION:
        raise SystemExit("tarball is %s@%s" % (pkg.get("name"), pkg.get("version")))

    module = build_model(model_json, weights, pointwise_as_matmul)
    torch.manual_seed(0)
    ex = torch.rand(2, 3, INPUT_SIZE, INPUT_SIZE) * 255
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "model.pt")
    with torch.no_grad():
        traced = torch.jit.trace_module(module, {"forward": ex, "forward_all": ex}, check_trace=False)
        traced.save(path + ".tmp")
        os.replace(path + ".tmp", path)
        loaded = torch.jit.load(path)
        for inp in (ex, torch.rand(1, 3, INPUT_SIZE, INPUT_SIZE) * 255, torch.rand(3, 3, INPUT_SIZE, INPUT_SIZE) * 255):
            ref = module.forward_all(inp)
            got = loaded.forward_all(inp)
            d = loaded(inp)
            if float((d - ref[0]).abs().max()) > 1e-5:
                raise SystemExit("traced forward differs from eager")
            for r, g in zip(ref, got):
                if r.shape != g.shape or float((r - g).abs().max()) > 1e-5:
                    raise SystemExit("traced forward_all differs from eager on batch %d" % inp.shape[0])

    ka = known_answers(loaded)
    with open(os.path.join(out, "known-answers.json"), "w") as f:
        json.dump(ka, f, indent=1)
    files = ["model.pt", "known-answers.json"]
    if LICENSE_FILE in members:
        with open(os.path.join(out, "LICENSE"), "wb") as f:
            f.write(members[LICENSE_FILE])
        files.append("LICENSE")

    quant = sorted({json.dumps(w.get("quantization"), sort_keys=True) for g in model_json["weightsManifest"]
                    for w in g["weights"]})
    manifest = {
        "name": NAME,
        "version": PACKAGE_VERSION,
        "task": "face-embedding",
        "format": "torchscript",
        "experimental": True,
        "architecture": "HSE FaceRes (A. Savchenko): MobileNet v1 (alpha 1, 224x224) with batch norm folded to Mul/Add "
                        "and ReLU6, global average pooling -> 1024-d descriptor; heads: 256-d ReLU dense -> "
                        "age softmax (100) and gender sigmoid (1)",
        "ops": module.graph.ops_used,
        "verification": VERIFICATION,
        "relu6_fused": "%d Relu -> Minimum(6) -> Maximum(0) chains run as one clamp(x, 0, 6) (the same numbers)"
                       % module.graph.fused,
        "pointwise_convolutions": POINTWISE_NOTE if pointwise_as_matmul else "conv2d",
        "input": {
            "name": "chips", "dtype": "float32", "shape": ["N", 3, INPUT_SIZE, INPUT_SIZE], "layout": "NCHW",
            "channel_order": "RGB", "value_range": [0, 255],
            "pixels": "raw 8-bit values as float, no mean/scale (the TFJS graph's input_1 takes 0..255; "
                      "@vladmandic/human's src/face/faceres.ts resizes its 0..1 face crop bilinearly to 224x224 and "
                      "multiplies by 255). The batch dimension is free; the spatial size must be 224.",
            "normalisation": {"inside_model": True, "formula": "none"},
        },
        "output": {
            "name": "descriptor", "dtype": "float32", "shape": ["N", 1024],
            "meaning": "global_pooling/Mean of the last ReLU6 feature map: non-negative, NOT L2-normalised. "
                       "Compare after L2 normalisation (cosine). human compares descriptors with a Minkowski "
                       "distance (order 2) mapped to a similarity; no threshold is validated here.",
        },
        "methods": {
            "forward": "x -> descriptor [N,1024]",
            "forward_all": "x -> (descriptor [N,1024], age_softmax [N,100], gender [N,1]); age class i ~ age i years "
                           "(human: age = weighted argmax with its neighbour); gender > 0.5 means male in human",
        },
        "preprocessing_note": "the upstream HSE code (HSE_FaceRec_tf age_gender_identity/facial_analysis.py, "
                              "load_age_gender, same tensor names input_1 / global_pooling/Mean / age_pred/Softmax / "
                              "gender_pred/Sigmoid) fed its frozen graph BGR pixels minus the VGG means (103.939, "
                              "116.779, 123.68); @vladmandic/human feeds RGB 0..255 as is, and the graph has no "
                              "preprocessing node. Whether human's conversion folded that step into conv1 is not "
                              "documented. This package follows human (faceres_vectors.py --preprocess hse-bgr-mean "
                              "tries the other).",
        "source": {
            "npm_package": NPM_PACKAGE, "npm_version": NPM_VERSION,
            "tarball": "%s-%s.tgz" % (NPM_PACKAGE.lstrip("@").replace("/", "-"), NPM_VERSION),
            "tarball_integrity": NPM_INTEGRITY,
            "tarball_sha256": sha256_bytes(tgz),
            "files": {n[len("package/"):]: sha256_bytes(members[n]) for n in [MODEL_JSON] + bin_names},
            "graph": {"format": model_json.get("format"), "generatedBy": model_json.get("generatedBy"),
                      "convertedBy": model_json.get("convertedBy")},
            "weight_quantization": [json.loads(q) for q in quant],
        },
        "licence": pkg.get("license"),
        "licence_note": "npm package licence field: %r (human's own MIT LICENSE is copied here). human's wiki "
                        "(Models, Credits) says: 'Included models are included under license inherited from the "
                        "original model source'. The source, HSE_FaceRec_tf (github.com/HSE-asavchenko/"
                        "HSE_FaceRec_tf, A. Savchenko, HSE), says nothing about a licence in its READMEs; its "
                        "MobileNet base was trained on VGGFace2. The weights' licence is unresolved: research "
                        "experiment only, do not ship." % pkg.get("license"),
        "built": {"by": "deploy/models/convert_faceres.py",
                  "converter_sha256": converter_digest(),
                  "torch": torch.__version__,
                  "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")},
    }
    write_manifest(out, manifest, files)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--tarball", help="use this copy of the npm tarball instead of running npm pack "
                                      "(it must still match the pinned integrity)")
    ap.add_argument("--pointwise-conv2d", action="store_true",
                    help="keep 1x1 convolutions as conv2d (crashes libtorch 2.7's oneDNN on some CPUs; for comparisons)")
    args = ap.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    if args.tarball:
        with open(args.tarball, "rb") as f:
            tgz = f.read()
    else:
        tmp = tempfile.mkdtemp(prefix="faceres-npm-")
        try:
            with open(npm_pack(tmp), "rb") as f:
                tgz = f.read()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    m = convert(tgz, args.out, not args.pointwise_conv2d)
    print("built %s in %s (%s)" % (NAME, args.out, ", ".join("%s x%d" % kv for kv in sorted(m["ops"].items()))))


if __name__ == "__main__":
    main()
