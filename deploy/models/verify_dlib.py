#!/usr/bin/python3
"""Proves the default bundle equal to dlib: compares the converted models and the reference port
(dlib_port.py, which the Java code mirrors) with the output of dlib's own C++ (dlib_reference.cpp).

  verify_dlib.py --ref-dir RUN --models $HOMEWARD_MODELS [--fixtures DIR --fixture-images PATH...]

RUN holds reference.json and the raw dumps written by dlib_reference.  Prints a report, writes
RUN/verify-report.json, and exits non-zero when a check fails.  With --fixtures, writes one JSON per
image listed in --fixture-images (the Debian-packaged test photos) for the Java tests.
"""

import argparse
import hashlib
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlib_port  # noqa: E402

# Limits.  The networks run in float32 with a different summation order than dlib's BLAS, so their
# outputs agree to float rounding; everything discrete (pyramid layout, boxes, landmarks) must be equal.
LIMITS = {
    "descriptor_max_abs": 1e-5,          # TorchScript embedder on dlib's own chips
    "score_max_abs": 1e-4,               # TorchScript detector on the Java-path pyramid vs dlib's score map
    "tiled_dlib_mode_max_abs": 1e-6,     # port's pyramid (dlib's normalised arithmetic) vs dlib's tensor
    "chip_pixels_off_fraction": 0.001,   # chip pixels that may differ by 1 grey level (rounding at .0)
    "end_to_end_descriptor_max_abs": 1e-4,
}


def dump_compact(obj, f):
    """JSON with one line per innermost list of numbers (readable, diff-friendly fixtures)."""
    import re
    text = json.dumps(obj, indent=1)
    text = re.sub(r"\[\s*([-0-9.eE+,\s]+?)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    f.write(text + "\n")


def load_raw(path, dtype, shape):
    return np.fromfile(path, dtype=dtype).reshape(shape)


def make_test_images(out_dir, astronaut, grace):
    """Synthetic checks (not fixtures): several faces at several scales in one picture (more pyramid
    levels and non-maximum suppression at work), and one face so large that the chip extraction
    goes two pyramid_down<2> levels deep."""
    from PIL import Image
    os.makedirs(out_dir, exist_ok=True)
    a = Image.open(astronaut).convert("RGB")
    g = Image.open(grace).convert("RGB")
    canvas = Image.new("RGB", (1400, 760), (128, 128, 128))
    canvas.paste(a, (0, 0))
    canvas.paste(g, (520, 0))
    canvas.paste(a.resize((256, 256), Image.BILINEAR), (1040, 0))
    canvas.paste(g.resize((300, 352), Image.BILINEAR), (1045, 270))
    canvas.paste(g.resize((150, 176), Image.BILINEAR), (40, 540))
    canvas.save(os.path.join(out_dir, "collage.png"))
    big = g.crop((120, 80, 400, 360)).resize((840, 840), Image.BILINEAR)
    big.save(os.path.join(out_dir, "big_face.png"))
    print(os.path.join(out_dir, "collage.png"))
    print(os.path.join(out_dir, "big_face.png"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--make-test-images", nargs=3, metavar=("OUT_DIR", "ASTRONAUT", "GRACE_HOPPER"))
    ap.add_argument("--ref-dir")
    ap.add_argument("--models")
    ap.add_argument("--fixtures")
    ap.add_argument("--fixture-images", nargs="*", default=[])
    args = ap.parse_args()
    if args.make_test_images:
        make_test_images(*args.make_test_images)
        return 0
    if not args.ref_dir or not args.models:
        ap.error("--ref-dir and --models are required")
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    ref = json.load(open(os.path.join(args.ref_dir, "reference.json")))
    emb_dir = os.path.join(args.models, "dlib-face-embedder-v1")
    det_dir = os.path.join(args.models, "dlib-face-detector-mmod")
    sp_dir = os.path.join(args.models, "dlib-shape-predictor-5")
    embedder = torch.jit.load(os.path.join(emb_dir, "model.pt")).eval()
    detector = torch.jit.load(os.path.join(det_dir, "model.pt")).eval()
    det_manifest = json.load(open(os.path.join(det_dir, "manifest.json")))
    convs = [(l["kernel"], l["stride"], l["padding"]) for l in det_manifest["layers_input_first"]]
    dm = det_manifest["detection"]
    win = dm["detector_window"]
    pyr = dm["pyramid"]
    sp = dlib_port.ShapePredictor.from_json(json.load(open(os.path.join(sp_dir, "shape_predictor_5.json"))))

    stats = {"images": 0, "faces": 0, "probes": 0, "pyramid_layout_mismatches": 0,
             "tiled_dlib_mode_max_abs": 0.0, "tiled_java_mode_max_abs_normalised": 0.0,
             "score_max_abs": 0.0, "box_mismatches_decoding_dlib_scores": 0,
             "box_mismatches_model_scores": 0, "box_score_max_abs": 0.0,
             "candidate_cells_before_nms": 0, "chip_pyramid_depths_seen": [],
             "landmark_mismatches": 0, "landmark_max_px": 0, "chip_details_max_abs": 0.0,
             "chip_pixels_compared": 0, "chip_pixels_off": 0, "chip_max_abs": 0,
             "descriptor_max_abs": 0.0, "descriptor_port_chip_max_abs": 0.0,
             "end_to_end_descriptor_max_abs": 0.0, "end_to_end_faces": 0, "descriptor_norm_range": [9.9, 0.0]}
    problems = []
    fixtures = []

    for i, im in enumerate(ref["images"]):
        stats["images"] += 1
        name = os.path.basename(im["path"])
        h, w = im["height"], im["width"]
        rgb = load_raw(os.path.join(args.ref_dir, "img_%d.rgb" % i), np.uint8, (h, w, 3))
        gray = dlib_port.rgb_to_gray(rgb)

        # --- detector: pyramid layout, tensor, scores, boxes
        rects, nr, nc = dlib_port.pyramid_rects(h, w, pyr["padding"], pyr["outer_padding"])
        if [list(r) for r in rects] != im["pyramid_rects"] or [3, nr, nc] != im["tiled_shape"]:
            stats["pyramid_layout_mismatches"] += 1
            problems.append("%s: pyramid layout differs" % name)
        dl_tiled = load_raw(os.path.join(args.ref_dir, "img_%d.tiled.f32" % i), np.float32, tuple(im["tiled_shape"]))
        port_tiled, _ = dlib_port.tiled_pyramid(rgb, pyr["padding"], pyr["outer_padding"], normalised=True)
        d = float(np.abs(port_tiled - dl_tiled).max())
        stats["tiled_dlib_mode_max_abs"] = max(stats["tiled_dlib_mode_max_abs"], d)
        raw_tiled, _ = dlib_port.tiled_pyramid(rgb, pyr["padding"], pyr["outer_padding"], normalised=False)
        mean = np.array(dlib_port.MEAN_RGB, dtype=np.float32).reshape(3, 1, 1)
        d = float(np.abs((raw_tiled - mean) / np.float32(256) - dl_tiled).max())
        stats["tiled_java_mode_max_abs_normalised"] = max(stats["tiled_java_mode_max_abs_normalised"], d)
        with torch.no_grad():
            scores = detector(torch.from_numpy(raw_tiled[None].copy())).numpy()[0, 0]
        dl_scores = load_raw(os.path.join(args.ref_dir, "img_%d.scores.f32" % i), np.float32, tuple(im["score_shape"]))[0]
        if scores.shape != dl_scores.shape:
            problems.append("%s: score map %r vs dlib %r" % (name, scores.shape, dl_scores.shape))
            continue
        stats["score_max_abs"] = max(stats["score_max_abs"], float(np.abs(scores - dl_scores).max()))
        ref_boxes = [tuple(f["box"]) for f in im["faces"]]
        args_nms = (win["width"], win["height"], dm["nms"]["iou_thresh"], dm["nms"]["percent_covered_thresh"],
                    dm["score_threshold"])
        boxes_dl = dlib_port.decode_detections(dl_scores, rects, convs, *args_nms)
        if [b[:4] for b in boxes_dl] != ref_boxes:
            stats["box_mismatches_decoding_dlib_scores"] += 1
            problems.append("%s: decoding dlib's own scores gives %r, dlib %r" % (name, boxes_dl, ref_boxes))
        stats["candidate_cells_before_nms"] += int((scores > dm["score_threshold"]).sum())
        boxes = dlib_port.decode_detections(scores, rects, convs, *args_nms)
        if [b[:4] for b in boxes] != ref_boxes:
            stats["box_mismatches_model_scores"] += 1
            problems.append("%s: boxes from model.pt %r, dlib %r" % (name, boxes, ref_boxes))
        else:
            for b, f in zip(boxes, im["faces"]):
                stats["box_score_max_abs"] = max(stats["box_score_max_abs"], abs(b[4] - f["score"]))

        # --- shape predictor, chip, embedder on every face and probe
        entries = [("face", j, f) for j, f in enumerate(im["faces"])] + [("probe", j, f) for j, f in enumerate(im["probes"])]
        dl_chips, port_chips = [], []
        for kind, j, f in entries:
            stats["faces" if kind == "face" else "probes"] += 1
            lm = sp.predict(gray, tuple(f["box"]))
            ref_lm = np.array(f["landmarks"])
            if not np.array_equal(lm, ref_lm):
                stats["landmark_mismatches"] += 1
                stats["landmark_max_px"] = max(stats["landmark_max_px"], int(np.abs(lm - ref_lm).max()))
                problems.append("%s %s %d: landmarks %s, dlib %s" % (name, kind, j, lm.tolist(), ref_lm.tolist()))
            cd = dlib_port.face_chip_details(ref_lm)
            rc = f["chip_details"]
            dd = max(max(abs(a - b) for a, b in zip(cd["rect"], rc["rect"])), abs(cd["angle"] - rc["angle"]))
            stats["chip_details_max_abs"] = max(stats["chip_details_max_abs"], dd)
            dl_chip = load_raw(os.path.join(args.ref_dir, "img_%d_%s_%d.rgb" % (i, kind, j)), np.uint8, (150, 150, 3))
            port_chip = dlib_port.extract_image_chip(rgb, cd)
            depth = dlib_port.chip_pyramid_depth(cd)
            if depth not in stats["chip_pyramid_depths_seen"]:
                stats["chip_pyramid_depths_seen"] = sorted(stats["chip_pyramid_depths_seen"] + [depth])
            diff = np.abs(port_chip.astype(np.int32) - dl_chip.astype(np.int32))
            stats["chip_pixels_compared"] += diff.size
            stats["chip_pixels_off"] += int((diff > 0).sum())
            stats["chip_max_abs"] = max(stats["chip_max_abs"], int(diff.max()))
            dl_chips.append(dl_chip)
            port_chips.append(port_chip)
        if entries:
            with torch.no_grad():
                x = torch.from_numpy(np.stack(dl_chips).transpose(0, 3, 1, 2).astype(np.float32))
                desc = embedder(x).numpy()
                xp = torch.from_numpy(np.stack(port_chips).transpose(0, 3, 1, 2).astype(np.float32))
                desc_p = embedder(xp).numpy()
            ref_desc = np.array([f["descriptor"] for _, _, f in entries], dtype=np.float32)
            stats["descriptor_max_abs"] = max(stats["descriptor_max_abs"], float(np.abs(desc - ref_desc).max()))
            stats["descriptor_port_chip_max_abs"] = max(stats["descriptor_port_chip_max_abs"], float(np.abs(desc_p - ref_desc).max()))
            norms = np.linalg.norm(ref_desc, axis=1)
            stats["descriptor_norm_range"] = [min(stats["descriptor_norm_range"][0], float(norms.min())),
                                              max(stats["descriptor_norm_range"][1], float(norms.max()))]

        # --- end to end through the port: image -> boxes -> landmarks -> chip -> descriptor
        e2e = []
        for b in boxes:
            lm = sp.predict(gray, b[:4])
            e2e.append(dlib_port.extract_image_chip(rgb, dlib_port.face_chip_details(lm)))
        if e2e and len(boxes) == len(im["faces"]):
            with torch.no_grad():
                de = embedder(torch.from_numpy(np.stack(e2e).transpose(0, 3, 1, 2).astype(np.float32))).numpy()
            ref_desc = np.array([f["descriptor"] for f in im["faces"]], dtype=np.float32)
            stats["end_to_end_descriptor_max_abs"] = max(stats["end_to_end_descriptor_max_abs"], float(np.abs(de - ref_desc).max()))
            stats["end_to_end_faces"] += len(e2e)

        if im["path"] in args.fixture_images:
            top = np.argsort(-dl_scores, axis=None)[:10]
            fixtures.append((im, {
                "image": im["path"],
                "debian_package": fixture_package(im["path"]),
                "width": w, "height": h,
                "decoded_rgb_sha256": hashlib.sha256(rgb.tobytes()).hexdigest(),
                "decoded_by": "dlib::load_image into matrix<rgb_pixel> (libpng / libjpeg-turbo); grayscale files are "
                              "replicated to R=G=B. decoded_rgb_sha256 = sha256 of the H*W*3 RGB bytes, row-major",
                "detector": {
                    "pyramid_rects": im["pyramid_rects"], "tiled_shape": im["tiled_shape"],
                    "score_shape": im["score_shape"],
                    "top_scores": [{"row": int(k // dl_scores.shape[1]), "col": int(k % dl_scores.shape[1]),
                                    "score": float(dl_scores.flat[k])} for k in top],
                },
                "faces": [{"box": f["box"], "score": f["score"], "landmarks": f["landmarks"],
                           "chip_details": f["chip_details"], "descriptor": f["descriptor"]} for f in im["faces"]],
                "probes": [{"box": f["box"], "landmarks": f["landmarks"], "chip_details": f["chip_details"],
                            "descriptor": f["descriptor"]} for f in im["probes"]],
            }))

    checks = [
        ("pyramid layout equal", stats["pyramid_layout_mismatches"] == 0),
        ("pyramid tensor (dlib arithmetic) max abs <= %g" % LIMITS["tiled_dlib_mode_max_abs"],
         stats["tiled_dlib_mode_max_abs"] <= LIMITS["tiled_dlib_mode_max_abs"]),
        ("score map max abs <= %g" % LIMITS["score_max_abs"], stats["score_max_abs"] <= LIMITS["score_max_abs"]),
        ("boxes from dlib's scores equal", stats["box_mismatches_decoding_dlib_scores"] == 0),
        ("boxes from model.pt equal", stats["box_mismatches_model_scores"] == 0),
        ("landmarks equal", stats["landmark_mismatches"] == 0),
        ("chip pixels off <= %g" % LIMITS["chip_pixels_off_fraction"],
         stats["chip_pixels_off"] <= LIMITS["chip_pixels_off_fraction"] * max(1, stats["chip_pixels_compared"])),
        ("descriptor max abs <= %g" % LIMITS["descriptor_max_abs"], stats["descriptor_max_abs"] <= LIMITS["descriptor_max_abs"]),
        ("end-to-end descriptor max abs <= %g" % LIMITS["end_to_end_descriptor_max_abs"],
         stats["end_to_end_descriptor_max_abs"] <= LIMITS["end_to_end_descriptor_max_abs"]),
    ]
    report = {"stats": stats, "limits": LIMITS, "checks": {n: ok for n, ok in checks}, "problems": problems[:50]}
    with open(os.path.join(args.ref_dir, "verify-report.json"), "w") as f:
        json.dump(report, f, indent=2)
    for k, v in stats.items():
        print("  %-40s %s" % (k, v))
    for p in problems[:20]:
        print("  problem:", p)
    for n, ok in checks:
        print("  [%s] %s" % ("ok" if ok else "FAIL", n))

    if args.fixtures:
        os.makedirs(args.fixtures, exist_ok=True)
        index = []
        for im, fx in fixtures:
            fname = os.path.splitext(os.path.basename(im["path"]))[0] + ".json"
            with open(os.path.join(args.fixtures, fname), "w") as f:
                dump_compact(fx, f)
            index.append({"file": fname, "image": im["path"], "faces": len(fx["faces"])})
        with open(os.path.join(args.fixtures, "index.json"), "w") as f:
            json.dump({"about": "Expected outputs of dlib 19.24 (C++, deploy/models/dlib_reference.cpp) on photos that Debian "
                                "packages install; written by deploy/models/verify-default-bundle.sh. Boxes: [left, top, "
                                "right, bottom] inclusive; landmarks: 5 [x, y] in dlib's order; descriptor: 128 floats "
                                "from the 150x150 chip; probes: the shape predictor, chip and descriptor on moved/scaled "
                                "boxes.",
                       "dlib_version": ref["dlib_version"], "fixtures": index}, f, indent=1)
            f.write("\n")
        print("wrote %d fixture(s) to %s" % (len(fixtures), args.fixtures))
    return 0 if all(ok for _, ok in checks) else 1


def fixture_package(path):
    if "/skimage/" in path:
        return "python3-skimage"
    if "/matplotlib/" in path or "mpl-data" in path:
        return "python-matplotlib-data"
    if "opencv" in path:
        return "opencv-doc"
    return None


if __name__ == "__main__":
    sys.exit(main())
