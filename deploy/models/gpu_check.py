"""The bundle's networks on a CUDA GPU: their known answers, and how fast they run.

The Java worker runs model.pt through DJL's PyTorch engine; a GPU worker runs the same TorchScript files on CUDA,
where convolutions can take other kernels than on the CPU (cuDNN, and TF32 arithmetic that PyTorch allows for
convolutions by default on Ampere and newer). This checks, on the GPU at hand, that the detector's score map and the
embedder's descriptor stay within the tolerances that every process's self-test applies (the packages'
known-answers.json, dlib's own C++ answers) under each setting of PyTorch's flags, and times both networks against
the CPU of the same machine. Run it twice, with and without NVIDIA_TF32_OVERRIDE=0 in the environment: on an H200
only that variable brought CUDA within the tolerances (docs/deployment.md, "GPU workers").

    python3 deploy/models/gpu_check.py --models /var/lib/homeward/models [--json out.json]

Needs torch (with CUDA for the GPU part), numpy and Pillow. Without a GPU it checks and times the CPU only and
says so. Exit status 1 when a check fails.
"""

import argparse
import hashlib
import json
import os
import platform
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlib_port  # noqa: E402

DETECTOR = "dlib-face-detector-mmod"
EMBEDDER = "dlib-face-embedder-v1"


def known_answers(models, package):
    folder = os.path.join(models, package)
    answers = json.load(open(os.path.join(folder, "known-answers.json")))
    rgb = np.asarray(Image.open(os.path.join(folder, answers["image"])).convert("RGB"))
    sha = hashlib.sha256(np.ascontiguousarray(rgb).tobytes()).hexdigest()
    if sha != answers["decoded_rgb_sha256"]:
        raise SystemExit("%s: %s decodes to other pixels than dlib read (sha256 %s)" % (package, answers["image"], sha))
    return folder, answers, rgb


def set_tf32(allowed):
    torch.backends.cudnn.allow_tf32 = allowed
    torch.backends.cuda.matmul.allow_tf32 = allowed


# What a process can choose about CUDA convolutions, as (label, TF32 allowed, cuDNN on, cuDNN deterministic).
CUDA_SETTINGS = (
    ("cuda, PyTorch's TF32 flags on (its default for convolutions)", True, True, False),
    ("cuda, PyTorch's TF32 flags off", False, True, False),
    ("cuda, TF32 flags off, cuDNN deterministic", False, True, True),
    ("cuda, TF32 flags off, cuDNN off (PyTorch's own CUDA convolutions)", False, False, False),
)


def set_cuda(tf32, cudnn, deterministic):
    set_tf32(tf32)
    torch.backends.cudnn.enabled = cudnn
    torch.backends.cudnn.deterministic = deterministic


def timed(fn, device, repeats):
    """Median seconds of one call, after two warm-up calls (cuDNN picks its kernels on the first)."""
    for _ in range(2):
        fn()
    times = []
    for _ in range(repeats):
        if device == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        fn()
        if device == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


class Bundle:
    def __init__(self, models):
        self.det_dir, self.det_answers, self.rgb = known_answers(models, DETECTOR)
        self.emb_dir, self.emb_answers, emb_rgb = known_answers(models, EMBEDDER)
        manifest = json.load(open(os.path.join(self.det_dir, "manifest.json")))
        self.convs = [(l["kernel"], l["stride"], l["padding"]) for l in manifest["layers_input_first"]]
        self.detection = manifest["detection"]
        pyr = self.detection["pyramid"]
        self.tiled, self.rects = dlib_port.tiled_pyramid(self.rgb, pyr["padding"], pyr["outer_padding"])
        expected = self.emb_answers["embedder"]
        chip = dlib_port.extract_image_chip(emb_rgb, dlib_port.face_chip_details(np.array(expected["landmarks"])))
        self.chip = chip.transpose(2, 0, 1).astype(np.float32)[None]

    def load(self, device):
        detector = torch.jit.load(os.path.join(self.det_dir, "model.pt"), map_location=device).eval()
        embedder = torch.jit.load(os.path.join(self.emb_dir, "model.pt"), map_location=device).eval()
        return detector, embedder

    def check(self, device):
        """The self-test's two network checks (ModelSelfTest.detector and .embedder) on this device."""
        detector, embedder = self.load(device)
        expected = self.det_answers["detector"]
        with torch.no_grad():
            scores = detector(torch.from_numpy(self.tiled[None].copy()).to(device)).float().cpu().numpy()[0, 0]
            descriptor = embedder(torch.from_numpy(self.chip).to(device)).float().cpu().numpy()[0]
        score_diff = max(abs(float(scores[t["row"], t["col"]]) - t["score"]) for t in expected["top_scores"])
        win = self.detection["detector_window"]
        nms = self.detection["nms"]
        boxes = dlib_port.decode_detections(scores, self.rects, self.convs, win["width"], win["height"],
                                            nms["iou_thresh"], nms["percent_covered_thresh"],
                                            self.detection["score_threshold"])
        boxes = [list(b[:4]) for b in boxes]
        want = [b["box"] for b in expected["boxes"]]
        emb = self.emb_answers["embedder"]
        descriptor_diff = float(np.abs(descriptor - np.array(emb["descriptor"], dtype=np.float32)).max())
        return {
            "score_map_max_abs_diff": score_diff,
            "score_map_tolerance": expected["tolerance"],
            "boxes": boxes,
            "boxes_dlib": want,
            "descriptor_max_abs_diff": descriptor_diff,
            "descriptor_tolerance": emb["tolerance"],
            "pass": bool(score_diff <= expected["tolerance"] and boxes == want
                         and descriptor_diff <= emb["tolerance"]),
        }

    def speed(self, device, batches, sizes):
        """Embedder chips/s by batch size, and detector ms per photo by photo size (pyramid built beforehand)."""
        detector, embedder = self.load(device)
        out = {"embedder_chips_per_s": {}, "detector_ms_per_photo": {}}
        with torch.no_grad():
            for n in batches:
                chips = torch.from_numpy(np.repeat(self.chip, n, axis=0)).to(device)
                seconds = timed(lambda: embedder(chips), device, 5 if device == "cuda" else 2)
                out["embedder_chips_per_s"][str(n)] = round(n / seconds, 1)
            for w, h in sizes:
                rects, nr, nc = dlib_port.pyramid_rects(h, w, 10, 11)
                tiled = torch.rand(1, 3, nr, nc, device=device) * 255
                seconds = timed(lambda: detector(tiled), device, 5 if device == "cuda" else 2)
                out["detector_ms_per_photo"]["%dx%d (tiled %dx%d)" % (w, h, nc, nr)] = round(seconds * 1000, 1)
        return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default=os.environ.get("HOMEWARD_MODELS", "/var/lib/homeward/models"))
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--batches", default="1,16,64,256")
    p.add_argument("--sizes", default="640x480,1600x1200,4000x3000")
    p.add_argument("--checks-only", action="store_true", help="the known answers only, no timings")
    args = p.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]

    bundle = Bundle(args.models)
    report = {"machine": {"cpu": platform.processor() or platform.machine(), "cpu_threads": torch.get_num_threads(),
                          "torch": torch.__version__}, "checks": {}, "speed": {}}
    report["checks"]["cpu"] = bundle.check("cpu")
    gpu = torch.cuda.is_available()
    if gpu:
        report["machine"]["gpu"] = torch.cuda.get_device_name(0)
        report["machine"]["cuda"] = torch.version.cuda
        report["machine"]["cudnn"] = torch.backends.cudnn.version()
        # The switch that decides: NVIDIA's libraries read it at start, whatever the framework's flags say.
        report["machine"]["NVIDIA_TF32_OVERRIDE"] = os.environ.get("NVIDIA_TF32_OVERRIDE", "(unset)")
        for label, tf32, cudnn, deterministic in CUDA_SETTINGS:
            set_cuda(tf32, cudnn, deterministic)
            report["checks"][label] = bundle.check("cuda")
            if not args.checks_only:
                report["speed"][label] = bundle.speed("cuda", batches, sizes)
    else:
        report["machine"]["gpu"] = "none: CUDA is not available to this torch; only the CPU was checked"
    if not args.checks_only:
        report["speed"]["cpu"] = bundle.speed("cpu", batches, sizes)

    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    failed = [label for label, c in report["checks"].items() if not c["pass"]]
    for label, c in report["checks"].items():
        print("%s %s: score map max |diff| %.3g (tolerance %g), boxes %s, descriptor max |diff| %.3g (tolerance %g)"
              % ("PASS" if c["pass"] else "FAIL", label, c["score_map_max_abs_diff"], c["score_map_tolerance"],
                 "as dlib's" if c["boxes"] == c["boxes_dlib"] else "%s where dlib has %s" % (c["boxes"], c["boxes_dlib"]),
                 c["descriptor_max_abs_diff"], c["descriptor_tolerance"]))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
