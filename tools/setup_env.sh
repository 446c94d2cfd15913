#!/usr/bin/env bash
# Create or update the project's virtual environment (.venv) with the pinned OpenMMLab stack.
#
# Idempotent: a stamp in .venv records the hash of this script and requirements/*.txt, so a second run
# is a no-op. mmcv 2.1.0 has no wheels for this torch, so it is built from its sdist with ops, the C++
# standard raised to c++20 (torch 2.14 headers need it), and the wheel cached OUTSIDE the repo under
# $MMMOTION_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/mmmotion), keyed by the torch version it was
# built against: a fresh clone on the same machine sets up in minutes, a torch change forces a rebuild.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MMMOTION_VENV:-$ROOT/.venv}"
CACHE="${MMMOTION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmmotion}"
PYTHON="${PYTHON:-python3.11}"
MMCV_VERSION=2.1.0

log() { printf '[setup_env] %s\n' "$*"; }

stamp_hash() {
    cat "$ROOT/tools/setup_env.sh" "$ROOT"/requirements/*.txt "$ROOT/setup.py" "$ROOT/setup.cfg" 2>/dev/null \
        | sha256sum | cut -c1-16
}
STAMP="$VENV/.mmmotion-setup-$(stamp_hash)"
if [[ -f "$STAMP" ]]; then
    if [[ ! -e "$ROOT/mmmotion/.mim/configs" ]]; then
        # a checkout cleaned (or cloned) next to an existing environment: link configs and tools again
        log "linking configs/ and tools/ into mmmotion/.mim (editable install of $ROOT)"
        "$VENV/bin/python" -m pip --disable-pip-version-check install -q --no-deps --no-build-isolation -e "$ROOT"
    fi
    log "environment is up to date ($VENV)"
    exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating virtual environment $VENV with $PYTHON"
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

log "installing torch and torchvision (requirements/torch.txt)"
"${PIP[@]}" install -q -r "$ROOT/requirements/torch.txt"
log "installing build tools for mmcv (setuptools<70, wheel, ninja, numpy<2)"
"${PIP[@]}" install -q "setuptools<70" wheel ninja "numpy<2"

TORCH_VERSION="$("$PY" -c 'import torch; print(torch.__version__.replace("+", "_"))')"
WHEEL_DIR="$CACHE/wheels/mmcv-$MMCV_VERSION-torch-$TORCH_VERSION-cxx20"
if ! ls "$WHEEL_DIR"/mmcv-*.whl >/dev/null 2>&1; then
    log "no cached mmcv wheel in $WHEEL_DIR: building mmcv $MMCV_VERSION from source (about 20-30 min on 2 cores)"
    BUILD="$(mktemp -d "${TMPDIR:-/tmp}/mmcv-build.XXXXXX")"
    trap 'rm -rf "$BUILD"' EXIT
    # --no-build-isolation: the sdist's metadata step imports torch from this venv.
    "${PIP[@]}" download -q --no-deps --no-binary :all: --no-build-isolation \
        "mmcv==$MMCV_VERSION" -d "$BUILD"
    tar -xzf "$BUILD/mmcv-$MMCV_VERSION.tar.gz" -C "$BUILD"
    SRC="$BUILD/mmcv-$MMCV_VERSION"
    sed -i 's/-std=c++17/-std=c++20/g' "$SRC/setup.py"
    grep -q -- '-std=c++20' "$SRC/setup.py" || { log "ERROR: could not raise the C++ standard in $SRC/setup.py"; exit 1; }
    (cd "$SRC" && MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
        "${PIP[@]}" wheel --no-build-isolation --no-deps -w "$BUILD/dist" .)
    mkdir -p "$WHEEL_DIR"
    # Copy then rename, so an interrupted copy never leaves a half-written wheel in the cache.
    WHEEL="$(ls "$BUILD"/dist/mmcv-*.whl)"
    cp "$WHEEL" "$WHEEL_DIR/.partial"
    mv "$WHEEL_DIR/.partial" "$WHEEL_DIR/$(basename "$WHEEL")"
    log "cached $(basename "$WHEEL") in $WHEEL_DIR"
else
    log "using cached mmcv wheel from $WHEEL_DIR"
fi

log "installing mmcv and the OpenMMLab stack (requirements/runtime.txt, requirements/tests.txt)"
"${PIP[@]}" install -q "$WHEEL_DIR"/mmcv-*.whl -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/tests.txt"

# mmcv and mmengine declare opencv-python; keep exactly one OpenCV distribution (contrib, headless).
OTHER_CV="$("$PY" -m pip list --format=freeze 2>/dev/null | grep -iE '^opencv-' | grep -viE '^opencv-contrib-python-headless==' | cut -d= -f1 || true)"
if [[ -n "$OTHER_CV" ]]; then
    log "removing extra OpenCV distributions: $(echo $OTHER_CV)"
    "${PIP[@]}" uninstall -q -y $OTHER_CV
    # The uninstall removed the shared cv2/ folder; put contrib-headless back whole.
    "${PIP[@]}" install -q --force-reinstall --no-deps \
        "$(grep -E '^opencv-contrib-python-headless' "$ROOT/requirements/runtime.txt")"
fi

# PySceneDetect's wheel declares opencv-python; it works with the contrib-headless cv2 on in-memory frames.
log "installing PySceneDetect without its OpenCV dependency"
"${PIP[@]}" install -q --no-deps scenedetect==0.7.2

log "installing mmmotion in editable mode"
"${PIP[@]}" install -q --no-deps --no-build-isolation -e "$ROOT"

log "checking the environment"
"$PY" - <<'PYCHECK'
import importlib.metadata as md
import cv2, mmcv, mmcv.ops, mmdet, mmengine, mmpretrain, mmseg, torch, torchvision
cv_dists = sorted(d.metadata['Name'] for d in md.distributions() if d.metadata['Name'].lower().startswith('opencv'))
assert cv_dists == ['opencv-contrib-python-headless'], f'expected one OpenCV distribution, found {cv_dists}'
print(f'[setup_env] torch {torch.__version__}, torchvision {torchvision.__version__}, mmengine {mmengine.__version__}, '
      f'mmcv {mmcv.__version__}, mmdet {mmdet.__version__}, mmseg {mmseg.__version__}, '
      f'mmpretrain {mmpretrain.__version__}, cv2 {cv2.__version__}')
PYCHECK

rm -f "$VENV"/.mmmotion-setup-*
touch "$STAMP"
log "done: activate with 'source $VENV/bin/activate'"
