#!/usr/bin/env bash
# Builds the product's default model, models/telecom-ru, from the shipped data with the project's own commands:
#   train (BERT from scratch, rubert-tiny2 vocabulary) -> export (ONNX) -> quantize (INT8, accuracy gate) -> verify (eval)
# and beside it the n-gram baseline of the same data, models/telecom-ru-ngram (more accurate on new phrasings,
# docs/quality.md), which scripts/run.sh serves as a second model.
# Cached: does nothing when the models exist and their inputs (data, shape, options, these scripts) are unchanged.
# Usage: scripts/make_default_model.sh [--force]      Env: FASTINTENT_BUILD_DIR (default build/)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/model_pipeline.sh"

MODEL_NAME=telecom-ru
TRAIN_CSV=data/telecom-ru/train.csv
TEST_CSV=data/telecom-ru/test.csv
SOURCE_ARGS=(--shape configs/telecom-ru-shape.json --tokenizer assets/tokenizers/rubert-tiny2)
# One thread: this model is small, so a step is dominated by memory-bound optimizer updates of the 83,828-row
# embedding table; a second thread gains little and, when the other core is busy, makes steps several times
# slower (docs/quality.md). Within 5 minutes on 2 cores.
TRAIN_ARGS=(--epochs 10 --batch-size 32 --lr 1e-3 --warmup-ratio 0.06 --weight-decay 0.01 --max-length 64
            --class-weights balanced --patience 3 --seed 2026 --threads 1)
# A top score under one half hands the text to an operator ("fallback": true): a fixed rule, not tuned on test.
EXPORT_ARGS=(--fallback-threshold 0.5)
STAMP_FILES=(configs/telecom-ru-shape.json "$(realpath "$0")")
build_model "$@"
build_ngram_model telecom-ru-ngram "$@"
