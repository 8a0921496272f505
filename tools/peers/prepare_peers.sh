#!/usr/bin/env bash
# Converts one model directory for the peers, each the way its own documentation advises, into MODEL_DIR/peers/
# (git-ignored with the models):
#   checkpoint            a link to the Hugging Face checkpoint (--checkpoint; prepare_models.sh's layout is found
#                         without it)
#   torch_export.onnx     torch.onnx.export (the article's Listing 1)                  tools/peers/pytorch/export_onnx.py
#   ort/                  transformer optimizer, quantize_dynamic QInt8 per channel,
#                         the article's QUInt8                                           tools/peers/ort/prepare.py
#   openvino/             OpenVINO IR fp32, NNCF INT8 on a calibration split           tools/peers/openvino/prepare.py
#   ctranslate2/          CTranslate2's Transformers converter + the head              tools/peers/ctranslate2/prepare.py
# PyTorch and PyTorch INT8 read the checkpoint itself. Needs tools/peers/setup_peers.sh and the project's .venv.
#
# Usage: tools/peers/prepare_peers.sh MODEL_DIR [--checkpoint DIR] [--calibration FILE.csv] [--only NAME ...]
#        (NAME: export ort openvino ctranslate2)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ $# -ge 1 && "$1" != -* ]] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
model="$(cd "$1" && pwd)"; shift
checkpoint="" calibration="$repo/data/telecom-ru/train.csv" only=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --checkpoint) checkpoint="$(cd "$2" && pwd)"; shift 2 ;;
    --calibration) calibration="$2"; shift 2 ;;
    --only) shift; while [[ $# -gt 0 && "$1" != --* ]]; do only+=("$1"); shift; done ;;
    *) echo "prepare_peers.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
wanted() { [[ ${#only[@]} -eq 0 || " ${only[*]} " == *" $1 "* ]]; }
venv() { local python="$repo/var/peers/$1/bin/python"; [[ -x "$python" ]] || {
  echo "prepare_peers.sh: no $python (run tools/peers/setup_peers.sh)" >&2; exit 1; }; echo "$python"; }

mkdir -p "$model/peers"
if [[ -n "$checkpoint" ]]; then ln -sfn "$checkpoint" "$model/peers/checkpoint"; fi
found="$("$repo/.venv/bin/python" -c "
import sys; sys.path.insert(0, '$repo/tools/peers')
from pathlib import Path; from runner_protocol import checkpoint_of
print(checkpoint_of(Path('$model')) or '')")"
[[ -n "$found" ]] || { echo "prepare_peers.sh: no checkpoint for $model (give --checkpoint DIR)" >&2; exit 1; }
echo "== $model (checkpoint $found)"
export HF_HUB_OFFLINE=1
if wanted export; then "$repo/.venv/bin/python" "$repo/tools/peers/pytorch/export_onnx.py" "$found" "$model/peers/torch_export.onnx"; fi
if wanted ort; then "$(venv ort)" "$repo/tools/peers/ort/prepare.py" "$model"; fi
if wanted openvino; then "$(venv openvino)" "$repo/tools/peers/openvino/prepare.py" "$model" --calibration "$calibration"; fi
if wanted ctranslate2; then "$(venv ctranslate2)" "$repo/tools/peers/ctranslate2/prepare.py" "$model"; fi
