#!/usr/bin/env bash
# Builds the product's default model, models/telecom-ru, from the shipped data with the project's own commands:
#   train (BERT from scratch, rubert-tiny2 vocabulary) -> export (ONNX) -> quantize (INT8, accuracy gate) -> verify (eval)
# Cached: does nothing when the model exists and its inputs (data, shape, options, binaries' version) are unchanged.
# Usage: scripts/make_default_model.sh [--force]      Env: FASTINTENT_BUILD_DIR (default build/)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bin="${FASTINTENT_BUILD_DIR:-$root/build}/bin"
out="$root/models/telecom-ru"
work="$root/models/.work/telecom-ru"
train_csv="data/telecom-ru/train.csv"
test_csv="data/telecom-ru/test.csv"
shape="configs/telecom-ru-shape.json"
tokenizer="assets/tokenizers/rubert-tiny2"
TRAIN_ARGS=(--epochs 10 --batch-size 32 --lr 1e-3 --warmup-ratio 0.06 --weight-decay 0.01 --max-length 64
            --class-weights balanced --patience 3 --seed 2026 --threads 1)

stamp_value="$(cat "$train_csv" "$shape" "$0" | sha256sum | cut -d' ' -f1) ${TRAIN_ARGS[*]}"
if [[ "${1:-}" != "--force" && -f "$out/.fastintent-default-model" && "$(cat "$out/.fastintent-default-model")" == "$stamp_value" ]]; then
  echo "default model: up to date in models/telecom-ru"
  exit 0
fi
for tool in fastintent fastintent-torch; do
  [[ -x "$bin/$tool" ]] || { echo "default model: $bin/$tool is missing; run scripts/build.sh first" >&2; exit 1; }
done

# One thread: this model is small, so a step is dominated by memory-bound optimizer updates of the 83,828-row
# embedding table; a second OpenMP/OpenBLAS thread gains little and, when the other core is busy, makes steps
# several times slower (measured: docs/quality.md).
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
start=$(date +%s)
step() { printf '\n[default model %ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }
rm -rf "$work"
mkdir -p "$work"

step "1/4 train: BERT from scratch ($shape) on $train_csv"
"$bin/fastintent" train --shape "$shape" --tokenizer "$tokenizer" --train "$train_csv" \
  --out "$work/checkpoint" "${TRAIN_ARGS[@]}"

step "2/4 export: ONNX"
"$bin/fastintent" export --checkpoint "$work/checkpoint" --out "$work/model"

step "3/4 quantize: INT8 with the accuracy gate on the held-out validation split"
"$bin/fastintent" quantize --model "$work/model" --valid "$work/checkpoint/valid_split.csv" --max-f1-drop 1.0

step "4/4 verify: fp32 and INT8 on the separately written test split $test_csv"
"$bin/fastintent" eval --model "$work/model" --data "$test_csv" --runtime onnx --json "$work/model/eval-fp32.json" >/dev/null
"$bin/fastintent" eval --model "$work/model" --data "$test_csv" --runtime onnx-int8 --json "$work/model/eval-int8.json" \
  --markdown "$work/model/eval-int8.md"
cp "$work/checkpoint/metrics.json" "$work/model/training-metrics.json" 2>/dev/null || true
cp "$work/checkpoint/"*.svg "$work/model/" 2>/dev/null || true

rm -rf "$out.old"
[[ -d "$out" ]] && mv "$out" "$out.old"
mv "$work/model" "$out"
rm -rf "$out.old" "$work"
echo "$stamp_value" > "$out/.fastintent-default-model"
step "done: models/telecom-ru (model.onnx, model_quantized.onnx)"
