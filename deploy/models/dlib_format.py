"""Readers for dlib's binary serialization (dlib/serialize.h), enough for the three CC0 face
models that Debian's dlib source package carries:

  dlib_face_recognition_resnet_model_v1.dat  (a dlib DNN: loss_metric ResNet, 150x150 -> 128-D)
  mmod_human_face_detector.dat               (a dlib DNN: loss_mmod CNN over an image pyramid)
  shape_predictor_5_face_landmarks.dat       (an ensemble of regression trees)

Pure Python + numpy; no dlib needed.  The format, as dlib 19.24 writes and reads it:

  integer     one control byte: low 4 bits = number of payload bytes n (1..8), bit 0x80 = negative;
              then n little-endian magnitude bytes.  Same for every C++ integer type.
  float/double  dlib::float_details: an integer mantissa then an integer exponent (both as above);
              value = ldexp(mantissa, exponent); exponent 32000/32001/32002 = +inf/-inf/NaN.
  bool        one ASCII byte '0' or '1'.        unsigned char / uint8_t: one raw byte.
  string      integer length, then the bytes.
  std::vector integer count, then the items.
  matrix      integer -nr, integer -nc (negative = current format), then nr*nc items row-major.
  dlib::vector<T,2>  x then y.
  tensor      integer version 2, integers num_samples, k, nr, nc, then k*nr*nc*... float32 LE raw.
  alias_tensor  integer version 1, integers num_samples, k, nr, nc (a shape only).

A DNN is written outermost layer first, each wrapper writing its version and then its subnetwork
*before* its own fields, so the file reads: loss layer, the nesting versions, the input layer, then
each layer's fields from the input outwards.  Tag/skip wrappers write only a version (1) and their
subnetwork; which tag number they carry is not stored (the network type in C++ fixes it), so the
caller matches the parsed layer list against the known architecture.
"""

import math
import struct

import numpy as np


class DlibFormatError(Exception):
    pass


class Reader:
    def __init__(self, data: bytes):
        self.b = data
        self.p = 0

    def at_end(self):
        return self.p == len(self.b)

    def byte(self):
        if self.p >= len(self.b):
            raise DlibFormatError("unexpected end of file")
        v = self.b[self.p]
        self.p += 1
        return v

    def int(self):
        c = self.byte()
        if c & 0x70:
            raise DlibFormatError("bad integer control byte 0x%02x at %d" % (c, self.p - 1))
        n = c & 0x0F
        if not 1 <= n <= 8:
            raise DlibFormatError("bad integer size %d at %d" % (n, self.p - 1))
        v = int.from_bytes(self.b[self.p:self.p + n], "little")
        self.p += n
        return -v if c & 0x80 else v

    def float(self):
        if self.b[self.p] & 0x70:
            raise DlibFormatError("old ASCII float format at %d is not supported" % self.p)
        m = self.int()
        e = self.int()
        if e == 32000:
            return math.inf
        if e == 32001:
            return -math.inf
        if e == 32002:
            return math.nan
        return math.ldexp(float(m), e)

    def float32(self):
        # dlib computes ldexp((float)mantissa, exponent); mantissas written from a float have <= 24
        # bits, so the double result is exactly representable as float32.
        v = self.float()
        f = np.float32(v)
        if not (math.isnan(v) or float(f) == v):
            raise DlibFormatError("float value %r is not a float32" % v)
        return f

    def bool(self):
        c = self.byte()
        if c not in (ord("0"), ord("1")):
            raise DlibFormatError("bad bool byte 0x%02x at %d" % (c, self.p - 1))
        return c == ord("1")

    def string(self):
        n = self.int()
        if n < 0 or self.p + n > len(self.b):
            raise DlibFormatError("bad string length %d at %d" % (n, self.p))
        s = self.b[self.p:self.p + n]
        self.p += n
        return s.decode("latin-1")

    def peek_string(self):
        """Returns the string at the current position if one plausibly starts here, else None."""
        save = self.p
        try:
            n = self.int()
            if not 2 <= n <= 64 or self.p + n > len(self.b):
                return None
            s = self.b[self.p:self.p + n]
            if not all(ch == 0x5F or 0x30 <= ch <= 0x39 or 0x61 <= ch <= 0x7A for ch in s):
                return None
            return s.decode("ascii")
        except DlibFormatError:
            return None
        finally:
            self.p = save

    def expect_version(self, allowed):
        v = self.int()
        if v not in allowed:
            raise DlibFormatError("unexpected version %r at %d (allowed %r)" % (v, self.p, allowed))
        return v

    def tensor(self):
        self.expect_version((2,))
        shape = tuple(self.int() for _ in range(4))
        n = int(np.prod(shape))
        raw = self.b[self.p:self.p + 4 * n]
        if len(raw) != 4 * n:
            raise DlibFormatError("truncated tensor")
        self.p += 4 * n
        return np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(shape)

    def alias_tensor(self):
        self.expect_version((1,))
        return tuple(self.int() for _ in range(4))

    def matrix_f32(self):
        nr = self.int()
        nc = self.int()
        if nr > 0 or nc > 0:
            raise DlibFormatError("old matrix format not supported")
        nr, nc = -nr, -nc
        return np.array([self.float32() for _ in range(nr * nc)], dtype=np.float32).reshape(nr, nc)


# ---------------------------------------------------------------------------------------------
# DNN layers

def _read_layer_details(r: Reader):
    """Reads one computational layer's fields (the layer 'details' object)."""
    ver = r.string()
    d = {"version": ver}
    if ver in ("con_4", "con_5"):
        d["type"] = "con"
        params = r.tensor()
        d["num_filters"] = r.int()
        d["nr"] = r.int()
        d["nc"] = r.int()
        d["stride_y"] = r.int()
        d["stride_x"] = r.int()
        d["padding_y"] = r.int()
        d["padding_x"] = r.int()
        fshape = r.alias_tensor()
        bshape = r.alias_tensor()
        for _ in range(4):
            r.float()  # learning-rate and weight-decay multipliers
        d["use_bias"] = r.bool() if ver == "con_5" else True
        flat = params.reshape(-1)
        nf = int(np.prod(fshape))
        d["filters"] = flat[:nf].reshape(fshape)
        if d["use_bias"]:
            nb = int(np.prod(bshape))
            d["bias"] = flat[nf:nf + nb].copy()
            if nf + nb != flat.size:
                raise DlibFormatError("con_ params size mismatch")
        else:
            d["bias"] = None
    elif ver in ("affine_", "affine_2"):
        d["type"] = "affine"
        params = r.tensor().reshape(-1)
        gshape = r.alias_tensor()
        bshape = r.alias_tensor()
        d["mode"] = r.int()  # 0 = CONV_MODE (per channel), 1 = FC_MODE
        d["disabled"] = r.bool() if ver == "affine_2" else False
        ng = int(np.prod(gshape))
        d["gamma"] = params[:ng].reshape(gshape)
        d["beta"] = params[ng:ng + int(np.prod(bshape))].reshape(bshape)
    elif ver in ("bn_con2", "bn_fc2"):
        # dlib converts a batch-norm layer to affine_ when it loads it into an affine slot
        # (affine_(const bn_&)): gamma' = gamma / sqrt(running_var + eps),
        # beta' = beta - gamma' * running_mean, all in float32.
        d["type"] = "affine"
        params = r.tensor().reshape(-1)
        gshape = r.alias_tensor()
        bshape = r.alias_tensor()
        r.tensor(); r.tensor()  # means, invstds (training-batch statistics)
        running_means = r.tensor().reshape(-1)
        running_variances = r.tensor().reshape(-1)
        r.int(); r.int()        # num_updates, running_stats_window_size
        for _ in range(4):
            r.float()
        eps = r.float()
        d["mode"] = 0 if ver == "bn_con2" else 1
        d["disabled"] = False
        d["bn_eps"] = eps
        ng = int(np.prod(gshape))
        g = params[:ng] / np.sqrt(running_variances + np.float32(eps))
        b = params[ng:ng + int(np.prod(bshape))] - g * running_means
        d["gamma"] = g.astype(np.float32).reshape(gshape)
        d["beta"] = b.astype(np.float32).reshape(bshape)
    elif ver == "relu_":
        d["type"] = "relu"
    elif ver == "add_prev_":
        d["type"] = "add_prev"
    elif ver in ("max_pool_2", "avg_pool_2"):
        d["type"] = ver[:-2]
        d["nr"] = r.int()
        d["nc"] = r.int()
        d["stride_y"] = r.int()
        d["stride_x"] = r.int()
        d["padding_y"] = r.int()
        d["padding_x"] = r.int()
    elif ver in ("fc_2", "fc_3"):
        d["type"] = "fc"
        d["num_outputs"] = r.int()
        d["num_inputs"] = r.int()
        params = r.tensor().reshape(-1)
        wshape = r.alias_tensor()
        bshape = r.alias_tensor()
        d["bias_mode"] = r.int()  # 0 = FC_HAS_BIAS, 1 = FC_NO_BIAS
        for _ in range(4):
            r.float()
        d["use_bias"] = r.bool() if ver == "fc_3" else True
        nw = int(np.prod(wshape))
        d["weights"] = params[:nw].reshape(wshape)  # [num_inputs, num_outputs]: out = in @ W
        d["bias"] = params[nw:nw + int(np.prod(bshape))].copy() if d["bias_mode"] == 0 else None
    else:
        raise DlibFormatError("unsupported layer type %r at %d" % (ver, r.p))
    return d


def _read_input_layer(r: Reader):
    ver = r.string()
    d = {"version": ver}
    if ver == "input_rgb_image_sized":
        d["type"] = "input_rgb_image_sized"
        d["avg_red"] = r.float32()
        d["avg_green"] = r.float32()
        d["avg_blue"] = r.float32()
        d["nr"] = r.int()
        d["nc"] = r.int()
    elif ver in ("input_rgb_image_pyramid", "input_rgb_image_pyramid2"):
        d["type"] = "input_rgb_image_pyramid"
        d["avg_red"] = r.float32()
        d["avg_green"] = r.float32()
        d["avg_blue"] = r.float32()
        if ver == "input_rgb_image_pyramid2":
            d["pyramid_padding"] = r.int()
            d["pyramid_outer_padding"] = r.int()
        else:
            d["pyramid_padding"] = 10
            d["pyramid_outer_padding"] = 11
    else:
        raise DlibFormatError("unsupported input layer %r" % ver)
    return d


def _read_test_box_overlap(r: Reader):
    # no version number: iou_thresh then percent_covered_thresh (doubles)
    return {"iou_thresh": r.float(), "percent_covered_thresh": r.float()}


def _read_loss(r: Reader):
    ver = r.string()
    d = {"version": ver}
    if ver == "loss_metric_":
        d.update(type="loss_metric", margin=0.1, dist_thresh=0.75)
    elif ver == "loss_metric_2":
        d.update(type="loss_metric", margin=r.float(), dist_thresh=r.float())
    elif ver == "loss_mmod_":
        d["type"] = "loss_mmod"
        ov = r.expect_version((1, 2, 3, 4))
        o = {}
        if ov == 1:
            o["detector_windows"] = [{"width": r.int(), "height": r.int(), "label": ""}]
        else:
            wins = []
            for _ in range(r.int()):
                wv = r.expect_version((1, 2))
                w = {"width": r.int(), "height": r.int()}
                w["label"] = r.string() if wv == 2 else ""
                wins.append(w)
            o["detector_windows"] = wins
        o["loss_per_false_alarm"] = r.float()
        o["loss_per_missed_target"] = r.float()
        o["truth_match_iou_threshold"] = r.float()
        o["overlaps_nms"] = _read_test_box_overlap(r)
        o["overlaps_ignore"] = _read_test_box_overlap(r)
        o["assume_image_pyramid"] = r.byte() if ov >= 3 else 1
        if ov >= 4:
            o["use_bounding_box_regression"] = r.bool()
            o["bbr_lambda"] = r.float()
        else:
            o["use_bounding_box_regression"] = False
            o["bbr_lambda"] = 100.0
        o["options_version"] = ov
        d["options"] = o
    else:
        raise DlibFormatError("unsupported loss layer %r" % ver)
    return d


def read_dnn(data: bytes):
    """Parses a serialized dlib network.  Returns (loss, input_layer, layers) where layers is the
    list from the layer nearest the loss down to the one nearest the input.  Each entry is a dict;
    tag/skip wrappers appear as {"type": "wrapper"}."""
    r = Reader(data)
    r.expect_version((1,))  # add_loss_layer
    loss = _read_loss(r)

    layers_outer_first = []
    holder = {}

    def subnet(depth):
        v = r.int()
        if r.peek_string() and r.peek_string().startswith("input"):
            # innermost add_layer<details, input_layer>: version 2 or 3
            if v not in (2, 3):
                raise DlibFormatError("unexpected innermost layer version %d" % v)
            holder["input"] = _read_input_layer(r)
            d = _read_layer_details(r)
            r.bool(); r.bool(); r.bool()
            r.tensor(); r.tensor(); r.tensor()
            if v == 3:
                r.int()
            layers_outer_first.append((depth, d))
            return
        if v == 2:      # add_layer<details, SUBNET>
            subnet(depth + 1)
            d = _read_layer_details(r)
            r.bool(); r.bool(); r.bool()
            r.tensor(); r.tensor(); r.tensor()
            layers_outer_first.append((depth, d))
        elif v == 1:    # add_tag_layer / add_skip_layer: only a subnetwork
            subnet(depth + 1)
            layers_outer_first.append((depth, {"type": "wrapper"}))
        else:
            raise DlibFormatError("unexpected layer version %d at %d" % (v, r.p))

    subnet(0)
    if not r.at_end():
        raise DlibFormatError("%d trailing bytes after the network" % (len(data) - r.p))
    layers = [d for _, d in sorted(layers_outer_first, key=lambda t: t[0])]
    return loss, holder["input"], layers


# ---------------------------------------------------------------------------------------------
# shape_predictor

def read_shape_predictor(data: bytes):
    """Parses dlib::shape_predictor (version 1): initial_shape, forests, anchor_idx, deltas."""
    r = Reader(data)
    r.expect_version((1,))
    initial_shape = r.matrix_f32().reshape(-1)
    forests = []
    for _ in range(r.int()):
        trees = []
        for _ in range(r.int()):
            splits = []
            for _ in range(r.int()):
                idx1 = r.int()
                idx2 = r.int()
                thresh = r.float32()
                splits.append((idx1, idx2, thresh))
            leaves = [r.matrix_f32().reshape(-1) for _ in range(r.int())]
            trees.append({"splits": splits, "leaf_values": leaves})
        forests.append(trees)
    anchor_idx = [[r.int() for _ in range(r.int())] for _ in range(r.int())]
    deltas = []
    for _ in range(r.int()):
        n = r.int()
        deltas.append([(r.float32(), r.float32()) for _ in range(n)])
    if not r.at_end():
        raise DlibFormatError("%d trailing bytes after the shape predictor" % (len(data) - r.p))
    return {"initial_shape": initial_shape, "forests": forests,
            "anchor_idx": anchor_idx, "deltas": deltas}
