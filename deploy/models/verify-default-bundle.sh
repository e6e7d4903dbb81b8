#!/usr/bin/env bash
# Proves the default model bundle equal to dlib: builds dlib_reference.cpp against Debian's
# libdlib-dev, runs dlib's own detector + 5-point predictor + face chip + ResNet on test photos, and
# compares the bundle's TorchScript models and the reference port (dlib_port.py, which the Java code
# mirrors) with it (verify_dlib.py). Writes the expected outputs for the photos that Debian packages
# install to src/test/resources/dlib-reference/ (fixtures for the Java tests).
#
# Test photos: skimage's astronaut.png, camera.png (grayscale) and coffee.png (no face),
# matplotlib's grace_hopper.jpg, two synthetic pictures made from them (several faces; one very large
# face), and 20 FG-NET photos from ../shared/data/fgnet-dev when present (used for the check only:
# nothing from FG-NET is written into the repository).
#
# usage: verify-default-bundle.sh [--no-fixtures] [--fgnet N]
set -euo pipefail
# shellcheck source=../lib/common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib/common.sh"

MODELS_SRC_DIR="$DEPLOY_DIR/models"
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ in the checkout
: "${HOMEWARD_DLIB_DEB_VERSION:=19.24.6+dfsg-1}"
UPSTREAM_VERSION="${HOMEWARD_DLIB_DEB_VERSION%-*}"
SRC_DIR="$HOMEWARD_HOME/build/dlib/dlib-models-$UPSTREAM_VERSION"
REF_DIR="$HOMEWARD_HOME/build/dlib-reference"
RUN_DIR="$REF_DIR/run"
FIXTURES_DIR="$REPO_DIR/src/test/resources/dlib-reference"
: "${HOMEWARD_FGNET_DIR:=$REPO_DIR/../shared/data/fgnet-dev}"

write_fixtures=1
fgnet_count=20
while [ $# -gt 0 ]; do
  case "$1" in
    --no-fixtures) write_fixtures="" ;;
    --fgnet) fgnet_count="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

started=$SECONDS
for pkg in dlib-face-embedder-v1 dlib-face-detector-mmod dlib-shape-predictor-5; do
  [ -f "$HOMEWARD_MODELS/$pkg/manifest.json" ] || die "no $pkg in $HOMEWARD_MODELS: run $MODELS_SRC_DIR/build-default-bundle.sh first"
done
for f in mmod_human_face_detector.dat shape_predictor_5_face_landmarks.dat dlib_face_recognition_resnet_model_v1.dat; do
  [ -f "$SRC_DIR/$f" ] || die "no $SRC_DIR/$f: run $MODELS_SRC_DIR/build-default-bundle.sh first"
done

apt_install g++ pkg-config libdlib-dev python3-torch python3-numpy python3-pil python3-skimage python-matplotlib-data

# The reference must run on the very weights the bundle was converted from.
"$PY" - "$HOMEWARD_MODELS" "$SRC_DIR" <<'EOF' || die "the bundle was not converted from the .dat files in $SRC_DIR"
import hashlib, json, os, sys
models, src = sys.argv[1:3]
for pkg in ("dlib-face-embedder-v1", "dlib-face-detector-mmod", "dlib-shape-predictor-5"):
    s = json.load(open(os.path.join(models, pkg, "manifest.json")))["source"]
    h = hashlib.sha256(open(os.path.join(src, s["file"]), "rb").read()).hexdigest()
    if h != s["file_sha256"]:
        sys.exit("%s: %s differs from the file it was built from" % (pkg, s["file"]))
EOF

# ---- dlib's C++ reference (rebuilt when its source changes) -------------------------------------
mkdir -p "$REF_DIR"
src_sum=$(sha256sum "$MODELS_SRC_DIR/dlib_reference.cpp" | cut -d' ' -f1)
if [ ! -x "$REF_DIR/dlib_reference" ] || [ "$(cat "$REF_DIR/dlib_reference.sha256" 2>/dev/null)" != "$src_sum" ]; then
  log "compiling dlib_reference.cpp against libdlib-dev $(pkg-config --modversion dlib-1) (about 1 min)"
  t=$SECONDS
  # shellcheck disable=SC2046  # pkg-config's flags must split into words
  g++ -O2 -std=c++14 -o "$REF_DIR/dlib_reference.new" "$MODELS_SRC_DIR/dlib_reference.cpp" \
      $(pkg-config --cflags --libs dlib-1) 2>"$REF_DIR/compile.log" \
    || { show_log_tail "$REF_DIR/compile.log"; die "could not compile dlib_reference.cpp"; }
  mv "$REF_DIR/dlib_reference.new" "$REF_DIR/dlib_reference"
  echo "$src_sum" >"$REF_DIR/dlib_reference.sha256"
  log "compiled in $((SECONDS - t)) s"
fi

# ---- test photos -----------------------------------------------------------------------------------
SK=/usr/lib/python3/dist-packages/skimage/data
GRACE=/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg
debian_images=("$SK/astronaut.png" "$GRACE" "$SK/camera.png" "$SK/coffee.png")
for f in "${debian_images[@]}"; do [ -f "$f" ] || die "missing test photo $f"; done
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR/synthetic"
"$PY" "$MODELS_SRC_DIR/verify_dlib.py" --make-test-images "$RUN_DIR/synthetic" "$SK/astronaut.png" "$GRACE" >"$RUN_DIR/synthetic/list" \
  || die "could not make the synthetic test pictures"
mapfile -t synthetic <"$RUN_DIR/synthetic/list"
fgnet=()
if [ "$fgnet_count" -gt 0 ] && [ -d "$HOMEWARD_FGNET_DIR/images" ]; then
  # every 25th photo in name order: 20 subjects, ages 2 to 60, colour and grayscale scans
  mapfile -t fgnet < <(find "$HOMEWARD_FGNET_DIR/images" -maxdepth 1 -name '*.JPG' | sort | awk 'NR % 25 == 1' | head -n "$fgnet_count")
  log "using ${#fgnet[@]} FG-NET photos from $HOMEWARD_FGNET_DIR (checks only, nothing written to the repo)"
else
  log "FG-NET photos not found at $HOMEWARD_FGNET_DIR (or --fgnet 0): checking on the Debian and synthetic photos only"
fi

log "running dlib's C++ pipeline on $(( ${#debian_images[@]} + ${#synthetic[@]} + ${#fgnet[@]} )) photos"
t=$SECONDS
"$REF_DIR/dlib_reference" "$SRC_DIR" "$RUN_DIR" "${debian_images[@]}" "${synthetic[@]}" "${fgnet[@]}" \
  2>"$RUN_DIR/dlib_reference.log" || { show_log_tail "$RUN_DIR/dlib_reference.log"; die "dlib_reference failed"; }
log "dlib reference done in $((SECONDS - t)) s"

fixture_args=()
if [ -n "$write_fixtures" ]; then
  fixture_args=(--fixtures "$FIXTURES_DIR" --fixture-images "${debian_images[@]}")
fi
log "comparing the bundle and the reference port with dlib (verify_dlib.py)"
rc=0
OMP_NUM_THREADS="$(nproc)" "$PY" "$MODELS_SRC_DIR/verify_dlib.py" --ref-dir "$RUN_DIR" --models "$HOMEWARD_MODELS" \
  "${fixture_args[@]}" || rc=$?
log "report: $RUN_DIR/verify-report.json ($((SECONDS - started)) s in all)"
[ $rc -eq 0 ] || die "the bundle does NOT match dlib (see above)"
log "the bundle matches dlib"
