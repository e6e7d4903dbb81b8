#!/usr/bin/env bash
# Builds Homeward's default model bundle from dlib's public-domain (CC0) face models, which Debian's
# `dlib` source package carries as a component tarball (dlib_<version>.orig-dlib-models.tar.bz2):
#   $HOMEWARD_MODELS/dlib-face-embedder-v1/    TorchScript 150x150 RGB chip -> 128-D descriptor
#   $HOMEWARD_MODELS/dlib-face-detector-mmod/  TorchScript MMOD CNN (score map over a tiled pyramid)
#   $HOMEWARD_MODELS/dlib-shape-predictor-5/   5-point landmark trees (.dat as is + JSON)
# each with a manifest.json. Idempotent: when the bundle is complete, its files match their manifests
# and it was built from the same tarball by the same converter, it does nothing.
# Run as root (installs Debian packages). See deploy/models/README.md.
set -euo pipefail
# shellcheck source=../lib/common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib/common.sh"

MODELS_SRC_DIR="$DEPLOY_DIR/models"
PY=/usr/bin/python3   # Debian's Python: the python3 first on PATH may not see python3-torch
export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ in the checkout

# The Debian source package and its models tarball (override both to move to a newer upload).
: "${HOMEWARD_DLIB_DEB_VERSION:=19.24.6+dfsg-1}"
: "${HOMEWARD_DLIB_MODELS_SHA256:=b34daeba5365abb2461757f75f080ae7c3cf866a2bb2debbdd4b8327ea123fa7}"
UPSTREAM_VERSION="${HOMEWARD_DLIB_DEB_VERSION%-*}"            # 19.24.6+dfsg
TARBALL="dlib_${UPSTREAM_VERSION}.orig-dlib-models.tar.bz2"
MEMBER_DIR="dlib-models-${UPSTREAM_VERSION}"
MEMBERS=(LICENSE README.md mmod_human_face_detector.dat shape_predictor_5_face_landmarks.dat
         dlib_face_recognition_resnet_model_v1.dat)
BUILD_DIR="$HOMEWARD_HOME/build/dlib"
SRC_DIR="$BUILD_DIR/$MEMBER_DIR"

usage() {
  cat <<EOF
usage: $0 [--force]
  Builds the default model bundle into \$HOMEWARD_MODELS ($HOMEWARD_MODELS).
  --force   rebuild even when the bundle is current
EOF
}

force=""
case "${1:-}" in
  "") ;;
  --force) force=1 ;;
  -h|--help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

started=$SECONDS

# ---- Homeward's own packages, committed under deploy/models/packages/ ----------------------------
# homeward-age-estimator-v1: aggregate parameters trained by train_age_estimator.py (docs/age-estimator.md).
# Copied as is when the installed copy differs; both copies must match the manifest's sha256.
HOMEWARD_PACKAGES=(homeward-age-estimator-v1 homeward-evidence-calibration-dlib-v1 homeward-evidence-calibration-transform-v1 homeward-embedding-transform-v1 homeward-evidence-calibration-transform-v2 homeward-embedding-transform-v2 homeward-age-prototypes-v2)

package_checksums_ok() {   # dir: every file the manifest lists matches its sha256 (standard library only)
  "$PY" - "$1" <<'PYEOF'
import hashlib, json, os, sys
d = sys.argv[1]
files = json.load(open(os.path.join(d, "manifest.json")))["files"]
bad = [n for n, f in files.items()
       if hashlib.sha256(open(os.path.join(d, n), "rb").read()).hexdigest() != (f if isinstance(f, str) else f["sha256"])]
sys.exit("checksum mismatch: " + ", ".join(bad) if bad else 0)
PYEOF
}

install_homeward_packages() {
  local pkg src dst tmp
  for pkg in "${HOMEWARD_PACKAGES[@]}"; do
    src="$MODELS_SRC_DIR/packages/$pkg"
    dst="$HOMEWARD_MODELS/$pkg"
    [ -f "$src/manifest.json" ] || die "$src/manifest.json is missing from the checkout"
    package_checksums_ok "$src" || die "$src does not match its manifest (edited by hand? rerun train_age_estimator.py)"
    if diff -rq "$src" "$dst" >/dev/null 2>&1; then
      continue
    fi
    require_root
    tmp="$HOMEWARD_MODELS/.staging-$pkg.$$"
    rm -rf "$tmp" "$tmp.old"
    mkdir -p "$HOMEWARD_MODELS"
    cp -R "$src" "$tmp"
    chmod 0755 "$tmp"
    chmod 0644 "$tmp"/*
    package_checksums_ok "$tmp" || { rm -rf "$tmp"; die "copy of $pkg does not match its manifest"; }
    if [ -d "$dst" ]; then mv "$dst" "$tmp.old"; fi
    mv "$tmp" "$dst"
    rm -rf "$tmp.old"
    log "installed $pkg into $HOMEWARD_MODELS"
  done
}

# ---- fast path: nothing to do ------------------------------------------------------------------
if [ -z "$force" ] && [ -x "$PY" ] && \
   "$PY" "$MODELS_SRC_DIR/convert_dlib.py" --out "$HOMEWARD_MODELS" --check "$HOMEWARD_DLIB_MODELS_SHA256" \
     --expect-version "$HOMEWARD_DLIB_DEB_VERSION" >/dev/null 2>&1; then
  install_homeward_packages
  log "model bundle in $HOMEWARD_MODELS is complete and current (checked in $((SECONDS - started)) s)"
  exit 0
fi

require_root
mkdir -p "$HOMEWARD_HOME/build"
exec 9>"$HOMEWARD_HOME/build/.default-bundle.lock"
flock 9 || die "could not lock $HOMEWARD_HOME/build/.default-bundle.lock"
# python3-skimage: the public-domain photo the packages carry for their known-answer self-test.
apt_install python3-torch python3-numpy python3-skimage bzip2
[ -x "$PY" ] || die "$PY not found"

# ---- the models tarball from Debian's dlib source package --------------------------------------
# Its sha256 as the Sources index lists it for the pinned version (empty when not listed).
index_sha256() {
  apt-cache showsrc dlib 2>/dev/null | awk -v ver="$HOMEWARD_DLIB_DEB_VERSION" -v file="$TARBALL" '
    /^Package: / { inpkg = ($2 == "dlib"); v = ""; sums = 0 }
    /^Version: / { v = $2 }
    /^[A-Z][A-Za-z0-9-]*:/ { sums = ($1 == "Checksums-Sha256:") }
    sums && $3 == file && v == ver && inpkg { print $1; exit }'
}

tarball_ok() {
  [ -f "$BUILD_DIR/$TARBALL" ] && \
    [ "$(sha256sum "$BUILD_DIR/$TARBALL" | cut -d' ' -f1)" = "$HOMEWARD_DLIB_MODELS_SHA256" ]
}

mkdir -p "$BUILD_DIR"
if tarball_ok; then
  log "using $BUILD_DIR/$TARBALL (checksum ok)"
else
  ensure_trixie_sources
  apt_update_once
  want=$(index_sha256)
  [ -n "$want" ] || die "the Sources index has no $TARBALL for dlib $HOMEWARD_DLIB_DEB_VERSION (is the trixie deb-src line there? apt-cache showsrc dlib)"
  [ "$want" = "$HOMEWARD_DLIB_MODELS_SHA256" ] || \
    die "Sources index sha256 of $TARBALL is $want, expected $HOMEWARD_DLIB_MODELS_SHA256 (set HOMEWARD_DLIB_MODELS_SHA256 to accept a new upload)"
  rm -f "$BUILD_DIR/$TARBALL"
  log "downloading dlib $HOMEWARD_DLIB_DEB_VERSION source (models tarball, about 200 MB)"
  # apt fetches every component of the source package; on the mirrors seen so far the others answer
  # 404 and apt exits non-zero although the models tarball arrives whole: judge by the file and its
  # checksum, not by apt's exit code.
  (cd "$BUILD_DIR" && apt-get source --download-only "dlib=$HOMEWARD_DLIB_DEB_VERSION") \
    >"$BUILD_DIR/apt-get-source.log" 2>&1 || true
  if ! tarball_ok; then
    show_log_tail "$BUILD_DIR/apt-get-source.log"
    die "could not download $TARBALL with the expected sha256 $HOMEWARD_DLIB_MODELS_SHA256"
  fi
  # The .dsc usually 404s too; where it arrived, check the tarball against it as well.
  dsc="$BUILD_DIR/dlib_${HOMEWARD_DLIB_DEB_VERSION}.dsc"
  if [ -f "$dsc" ] && ! grep -q "$HOMEWARD_DLIB_MODELS_SHA256 [0-9]* $TARBALL" "$dsc"; then
    die "$TARBALL does not match $dsc"
  fi
  log "downloaded $TARBALL, sha256 matches the Sources index"
fi

# ---- extract only the files the bundle uses -----------------------------------------------------
extracted_ok=1
for f in "${MEMBERS[@]}"; do [ -s "$SRC_DIR/$f" ] || extracted_ok=""; done
if [ -z "$extracted_ok" ] || [ "$BUILD_DIR/$TARBALL" -nt "$SRC_DIR/LICENSE" ]; then
  log "extracting ${MEMBERS[*]}"
  rm -rf "$SRC_DIR"
  tar -xjmf "$BUILD_DIR/$TARBALL" -C "$BUILD_DIR" --no-same-owner --no-same-permissions \
    "${MEMBERS[@]/#/$MEMBER_DIR/}" || die "could not extract the model files from $TARBALL"
  chmod 0644 "${MEMBERS[@]/#/$SRC_DIR/}"
fi
grep -q "CC0 1.0 Universal" "$SRC_DIR/LICENSE" || die "$SRC_DIR/LICENSE is not CC0 1.0: refusing to build"

# ---- convert --------------------------------------------------------------------------------------
source_json="$BUILD_DIR/source.json"
mirror_line=$(cat /etc/apt/sources.list.d/homeward-trixie-src.list 2>/dev/null || true)
cat >"$source_json" <<EOF
{
  "debian_source_package": "dlib",
  "debian_version": "$HOMEWARD_DLIB_DEB_VERSION",
  "upstream_version": "$UPSTREAM_VERSION",
  "suite": "trixie",
  "apt_source": "${mirror_line:-deb-src <Debian mirror> trixie main}",
  "tarball": "$TARBALL",
  "tarball_sha256": "$HOMEWARD_DLIB_MODELS_SHA256",
  "tarball_sha256_checked_against": "Checksums-Sha256 of the Sources index (and the .dsc when it downloads)",
  "tarball_member_dir": "$MEMBER_DIR",
  "upstream_project": "dlib-models by Davis King (https://github.com/davisking/dlib-models)"
}
EOF

staging="$HOMEWARD_MODELS/.staging.$$"
rm -rf "$staging"
mkdir -p "$staging"
trap 'rm -rf "$staging"' EXIT
log "converting to TorchScript and JSON (convert_dlib.py)"
OMP_NUM_THREADS="$(nproc)" "$PY" "$MODELS_SRC_DIR/convert_dlib.py" --src "$SRC_DIR" --out "$staging" \
  --source-json "$source_json" >"$BUILD_DIR/convert.log" 2>&1 \
  || { show_log_tail "$BUILD_DIR/convert.log"; die "conversion failed"; }

# Swap each package in whole: a reader never sees a half-written package.
for pkg in dlib-face-embedder-v1 dlib-face-detector-mmod dlib-shape-predictor-5; do
  chmod 0755 "$staging/$pkg"
  chmod 0644 "$staging/$pkg"/*
  if [ -d "$HOMEWARD_MODELS/$pkg" ]; then
    mv "$HOMEWARD_MODELS/$pkg" "$staging/$pkg.old"
  fi
  mv "$staging/$pkg" "$HOMEWARD_MODELS/$pkg"
done
rm -rf "$staging"
trap - EXIT

"$PY" "$MODELS_SRC_DIR/convert_dlib.py" --out "$HOMEWARD_MODELS" --check "$HOMEWARD_DLIB_MODELS_SHA256" \
     --expect-version "$HOMEWARD_DLIB_DEB_VERSION" \
  || die "the new bundle does not pass its own check"
install_homeward_packages
log "model bundle built in $HOMEWARD_MODELS in $((SECONDS - started)) s"
log "prove it equal to dlib with: $MODELS_SRC_DIR/verify-default-bundle.sh"
