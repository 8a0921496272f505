#!/usr/bin/env bash
# Prepares the benchmark's model directories under models/bench/ (git-ignored):
#   1. random-weight Hugging Face checkpoints of the seed article's four shapes (+ all-MiniLM-L6-v2 with --minilm),
#      written by transformers (tools/bench/make_random_checkpoints.py);
#   2. OUR `fastintent export` (model.onnx) and `fastintent quantize` (model_quantized.onnx);
#   3. the reference INT8 model: quantize_dynamic as in the article (tools/bench/make_reference_int8.py) of our
#      `fastintent export --plain` graph (standard ONNX ops, like the article's torch.onnx.export).
# Usage: tools/bench/prepare_models.sh [--build DIR] [--out DIR] [--only NAME ...] [--minilm]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
build="$repo/build"
out="$repo/models/bench"
only=()
minilm=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --only) shift; while [[ $# -gt 0 && "$1" != --* ]]; do only+=("$1"); shift; done ;;
    --minilm) minilm=(--minilm); shift ;;
    *) echo "prepare_models.sh: unknown argument '$1' (expected --build, --out, --only, --minilm)" >&2; exit 2 ;;
  esac
done
python="$repo/.venv/bin/python"
fastintent="$build/bin/fastintent"
[[ -x "$python" ]] || { echo "prepare_models.sh: no $python (run scripts/setup_python.sh)" >&2; exit 1; }
[[ -x "$fastintent" ]] || { echo "prepare_models.sh: no $fastintent (build first, or pass --build DIR)" >&2; exit 1; }
export HF_HUB_OFFLINE=1

checkpoints="$out/checkpoints"
only_args=()
[[ ${#only[@]} -gt 0 ]] && only_args=(--only "${only[@]}")
"$python" "$repo/tools/bench/make_random_checkpoints.py" --shapes "$repo/configs/seed-architectures.json" \
  --tokenizer "$repo/assets/tokenizers/rubert-tiny2" --corpus "$repo/data/telecom-ru/train.csv" \
  --out "$checkpoints" "${only_args[@]}" "${minilm[@]}"

for checkpoint in "$checkpoints"/*/; do
  name="$(basename "$checkpoint")"
  if [[ ${#only[@]} -gt 0 && ! " ${only[*]} " == *" $name "* && "$name" != all-MiniLM-L6-v2 ]]; then continue; fi
  echo "== $name"
  "$fastintent" export --checkpoint "$checkpoint" --out "$out/$name"
  "$fastintent" quantize --model "$out/$name"
  "$fastintent" export --plain --checkpoint "$checkpoint" --out "$out/plain/$name"
  "$python" "$repo/tools/bench/make_reference_int8.py" "$out/plain/$name/model.onnx" \
    "$out/$name/model_quantized_reference.onnx" 2>&1 | grep -v "pre-processing before quantization"
done
