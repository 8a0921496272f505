#!/usr/bin/env bash
# Installs the benchmark's peer stacks, each in its own virtual environment under var/peers/ (git-ignored), from
# the pinned requirement files in tools/peers/requirements/ (PyPI only). Idempotent: a stamp in each venv records
# the requirement file it was made from, so a changed pin rebuilds that venv and nothing else.
#
#   ort          onnxruntime 1.30.0 (our engine's release) + its transformer optimizer and quantizer; the
#                article's FastAPI/uvicorn serving stack
#   openvino     OpenVINO runtime + NNCF
#   ctranslate2  CTranslate2 + its Transformers converter (sees Debian's python3-torch 1.13.1)
#   fasttext     fastText bindings + scikit-learn (metrics)
# PyTorch eager and PyTorch dynamic INT8 run in the project's .venv (Debian's torch 1.13.1), which
# scripts/setup_python.sh makes.
#
# Usage: tools/peers/setup_peers.sh [--only NAME ...] [--python /usr/bin/python3]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python=/usr/bin/python3
only=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) shift; while [[ $# -gt 0 && "$1" != --* ]]; do only+=("$1"); shift; done ;;
    --python) python="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup_peers.sh: unknown argument '$1' (expected --only NAME ..., --python PATH)" >&2; exit 2 ;;
  esac
done
[[ -x "$python" ]] || { echo "setup_peers.sh: no $python (apt-get install python3 python3-venv)" >&2; exit 1; }

declare -A checks=(
  [ort]="import onnxruntime, onnxruntime.transformers.optimizer, onnxruntime.quantization, fastapi, uvicorn, tokenizers; print('onnxruntime', onnxruntime.__version__)"
  [openvino]="import openvino, nncf, tokenizers; print('openvino', openvino.__version__, 'nncf', nncf.__version__)"
  [ctranslate2]="import ctranslate2, torch, transformers; print('ctranslate2', ctranslate2.__version__, 'torch', torch.__version__)"
  [fasttext]="import fasttext, sklearn; print('fasttext bindings ok, scikit-learn', sklearn.__version__)"
)
# The CTranslate2 converter reads checkpoints with torch: Debian's CPU build, not PyPI's multi-GB CUDA one.
declare -A system_site=([ctranslate2]=1)

for name in ort openvino ctranslate2 fasttext; do
  if [[ ${#only[@]} -gt 0 && ! " ${only[*]} " == *" $name "* ]]; then continue; fi
  requirements="$repo/tools/peers/requirements/$name.txt"
  venv="$repo/var/peers/$name"
  stamp="$venv/.fastintent-requirements"
  want="$(sha256sum < "$requirements" | cut -d' ' -f1)"
  if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "peer $name: up to date in $venv"
    continue
  fi
  rm -rf "$venv"
  flags=()
  [[ -n "${system_site[$name]:-}" ]] && flags=(--system-site-packages)
  "$python" -m venv "${flags[@]}" "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  "$venv/bin/python" -c "${checks[$name]}"
  echo "$want" > "$stamp"
  echo "peer $name: installed in $venv"
done
