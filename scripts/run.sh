#!/usr/bin/env bash
# The README's main job: installs and builds only what serving needs (scripts/setup.sh --serve-only: no libtorch,
# no tests; idempotent), trains the default model when it is missing (seconds, cached), then starts the HTTP
# service. The default model is the n-gram baseline of the Russian telecom set, models/telecom-ru-ngram: on
# telecom-ru test it is the most accurate model we build today (0.70 accuracy against 0.45 for the BERT trained
# from scratch, docs/quality.md). When the full setup has built the BERT (scripts/make_default_model.sh, INT8), it
# is served beside it as the model "telecom-ru". Extra arguments go to `fastintent serve` (e.g. --port 9000).
# Stop it with Ctrl-C (SIGINT/SIGTERM: finishes admitted requests, then exits).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$SECONDS
stage() { printf '\n== [%3ds] %s\n' "$((SECONDS - started))" "$*"; }

stage "set up and build the server (scripts/setup.sh --serve-only)"
bash scripts/setup.sh --serve-only
export FASTINTENT_BUILD_DIR="${FASTINTENT_SERVE_BUILD_DIR:-$root/build-serve}"
bin="$FASTINTENT_BUILD_DIR/bin"

stage "the default model: models/telecom-ru-ngram (trained once from data/telecom-ru, then cached)"
# shellcheck source=scripts/lib/model_pipeline.sh
source scripts/lib/model_pipeline.sh
TRAIN_CSV=data/telecom-ru/train.csv
TEST_CSV=data/telecom-ru/test.csv
build_ngram_model telecom-ru-ngram

models=(--model "telecom-ru-ngram=$root/models/telecom-ru-ngram")
also=""
if [[ -f "$root/models/telecom-ru/model_quantized.onnx" ]]; then
  models+=(--model "telecom-ru=$root/models/telecom-ru")
  also=" and telecom-ru (BERT, INT8; pick it on the page or with \"model\" in a request)"
fi
host="${FASTINTENT_HOST:-127.0.0.1}"
port="${FASTINTENT_PORT:-8080}"
stage "start the service"
cat <<MSG
fastintent serve: http://$host:$port/  (web page)   API: docs/api.md
Models: telecom-ru-ngram (default; TF-IDF n-grams + logistic regression)$also
Try:
  curl -s http://$host:$port/v1/classify -H 'Content-Type: application/json' \\
       -d '{"text": "хочу сменить тариф на интернет", "top_k": 3}'

MSG
exec "$bin/fastintent" serve "${models[@]}" --quantized --host "$host" --port "$port" "$@"
