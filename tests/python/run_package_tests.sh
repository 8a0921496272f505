#!/usr/bin/env bash
# The Python package end to end (ctest python.package; docs/python.md):
#   1. builds the wheel from this checkout with `pip wheel --no-build-isolation` (scikit-build-core and nanobind
#      from PYTHON's environment: python/requirements-build.txt, installed by scripts/setup.sh), keeping its CMake
#      tree in WORK/build so a rerun recompiles only what changed; warnings are errors, at most 2 build jobs;
#   2. installs the wheel into a new venv WORK/venv (no pip of its own: PYTHON's pip installs into it), whose
#      fastintent-test-tools.pth adds PYTHON's site directories after its own for pytest and the references
#      (Hugging Face tokenizers, numpy) — the package itself comes from the wheel only;
#   3. trains the n-gram model on data/telecom-ru/train.csv with FASTINTENT (about 10 s);
#   4. runs pytest on tests/python from WORK, with that venv's interpreter.
# usage: run_package_tests.sh --python PYTHON --fastintent FASTINTENT --work WORK [pytest arguments...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="" fastintent="" work=""
while (($#)); do
  case "$1" in
    --python) python="$2"; shift 2 ;;
    --fastintent) fastintent="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) break ;;
  esac
done
if [[ -z "$python" || -z "$fastintent" || -z "$work" ]]; then
  echo "usage: $0 --python PYTHON --fastintent FASTINTENT --work WORK [pytest arguments...]" >&2
  exit 2
fi
if ! "$python" -c 'import scikit_build_core, nanobind, pytest' 2>/dev/null; then
  echo "$python lacks scikit-build-core, nanobind or pytest: run scripts/setup.sh (python/requirements-build.txt," \
       "tests/python/requirements.txt)" >&2
  exit 1
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"

echo "== wheel (build tree $work/build)"
start=$SECONDS
rm -rf "$work/wheel"
CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" nice "$python" -m pip wheel --no-build-isolation \
  --no-deps --disable-pip-version-check --no-index -w "$work/wheel" \
  --config-settings=build-dir="$work/build" --config-settings=cmake.define.FASTINTENT_WERROR=ON "$root"
wheel="$(ls "$work"/wheel/fastintent-*.whl)"
echo "built $(basename "$wheel") ($(du -h "$wheel" | cut -f1)) in $((SECONDS - start)) s"

echo "== fresh venv $work/venv"
rm -rf "$work/venv"
"$python" -m venv --without-pip "$work/venv"
"$python" -m pip --python "$work/venv/bin/python" install --no-deps --no-index --disable-pip-version-check -q "$wheel"
site="$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
"$python" -c 'import sys; print("\n".join(p for p in sys.path if p.endswith(("site-packages", "dist-packages"))))' \
  > "$site/fastintent-test-tools.pth"

echo "== n-gram model"
rm -rf "$work/ngram"
"$fastintent" train --arch ngram --train "$root/data/telecom-ru/train.csv" --out "$work/ngram"

echo "== pytest"
cd "$work"
export FASTINTENT_CLI="$fastintent" FASTINTENT_NGRAM_MODEL="$work/ngram" PYTEST_DISABLE_PLUGIN_AUTOLOAD=1
exec "$work/venv/bin/python" -m pytest "$root/tests/python" -p no:cacheprovider -rP "$@"
