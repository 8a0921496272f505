#!/usr/bin/env bash
# The README's main job: set up and build (idempotent), prepare the default model (cached after the first run),
# then start the HTTP service on the default Russian telecom model (INT8), with its n-gram baseline beside it as
# the model "telecom-ru-ngram" (pick it on the page or with "model" in a request). Extra arguments go to `fastintent serve`
# (e.g. --port 9000). Stop it with Ctrl-C (SIGINT/SIGTERM: finishes admitted requests, then exits).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/make_default_model.sh
bin="${FASTINTENT_BUILD_DIR:-$root/build}/bin"
host="${FASTINTENT_HOST:-127.0.0.1}"
port="${FASTINTENT_PORT:-8080}"
cat <<MSG

fastintent serve: http://$host:$port/  (web page)   API: docs/api.md
Models: telecom-ru (default; BERT, INT8) and telecom-ru-ngram (the n-gram baseline)
Try:
  curl -s http://$host:$port/v1/classify -H 'Content-Type: application/json' \\
       -d '{"text": "хочу сменить тариф на интернет", "top_k": 3}'
  curl -s http://$host:$port/v1/classify -H 'Content-Type: application/json' \\
       -d '{"text": "хочу сменить тариф на интернет", "model": "telecom-ru-ngram"}'

MSG
exec "$bin/fastintent" serve --model "telecom-ru=$root/models/telecom-ru" \
  --model "telecom-ru-ngram=$root/models/telecom-ru-ngram" --quantized --host "$host" --port "$port" "$@"
