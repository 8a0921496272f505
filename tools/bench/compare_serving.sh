#!/usr/bin/env bash
# fastintent serve against the article's Python stack (tools/peers/article_stack), same machine, same model
# directory, same texts, same load generator (wrk): throughput and p50/p99 at concurrency 1, 4, 16, 64, and the
# ratios. Both servers run on loopback ports for a bounded time and are stopped at the end (also on error).
# Usage: tools/bench/compare_serving.sh [--build DIR] [--model DIR] [--quantized] [--duration SECONDS]
#          [--concurrency "1 4 16 64"] [--peer-padding max_length|longest] [--max-length N] [--out FILE.md]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
build="$repo/build"
model="$repo/models/bench/rubert-tiny2"
quantized=0
duration=10
concurrency="1 4 16 64"
peer_padding=max_length
max_length=128
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --quantized) quantized=1; shift ;;
    --duration) duration="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --peer-padding) peer_padding="$2"; shift 2 ;;
    --max-length) max_length="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "compare_serving.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
python="$repo/.venv/bin/python"
fastintent="$build/bin/fastintent"
for tool in "$fastintent" "$python" "$(command -v wrk || true)" "$(command -v curl || true)"; do
  [[ -n "$tool" && -x "$tool" ]] || { echo "compare_serving.sh: missing tool (fastintent, .venv python, wrk, curl)" >&2; exit 1; }
done
[[ -f "$model/model.onnx" ]] || { echo "compare_serving.sh: no $model/model.onnx (run tools/bench/prepare_models.sh)" >&2; exit 1; }

work="$(mktemp -d)"
ours_port=18090
peer_port=18091
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The same texts for both: the Russian test phrases of data/telecom-ru, one {"text": ...} body per line.
"$python" - "$repo/data/telecom-ru/test.csv" > "$work/bodies.jsonl" <<'PY'
import csv, json, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        print(json.dumps({"text": row["text"]}, ensure_ascii=False))
PY

quant_flag=()
[[ "$quantized" == 1 ]] && quant_flag=(--quantized)
"$fastintent" serve --model "$model" --host 127.0.0.1 --port "$ours_port" --max-length "$max_length" \
  "${quant_flag[@]}" --log-level warn > "$work/ours.log" 2>&1 &
pids+=($!)
PEER_MODEL_DIR="$model" PEER_QUANTIZED="$quantized" PEER_MAX_LENGTH="$max_length" PEER_PADDING="$peer_padding" \
  HF_HUB_OFFLINE=1 "$python" -m uvicorn --app-dir "$repo/tools/peers/article_stack" app:app --host 127.0.0.1 \
  --port "$peer_port" --log-level warning > "$work/peer.log" 2>&1 &
pids+=($!)

wait_ready() {  # url, log
  for _ in $(seq 1 120); do
    curl -sf "$1" > /dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "compare_serving.sh: $1 not ready after 60 s; log:" >&2
  cat "$2" >&2
  exit 1
}
wait_ready "http://127.0.0.1:$ours_port/ready" "$work/ours.log"
wait_ready "http://127.0.0.1:$peer_port/health" "$work/peer.log"
first="$(head -1 "$work/bodies.jsonl")"
for port in "$ours_port" "$peer_port"; do
  curl -sf -H 'Content-Type: application/json' -d "$first" "http://127.0.0.1:$port/v1/classify" \
    | grep -q '"results"' || { echo "compare_serving.sh: port $port gave no results for $first" >&2; exit 1; }
done

to_ms() {  # wrk latency such as 812.00us, 1.23ms, 1.02s -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
run_wrk() {  # port concurrency -> "rps p50 p99 non200"
  local threads=$(( $2 < 2 ? $2 : 2 ))
  WRK_BODIES="$work/bodies.jsonl" wrk -t"$threads" -c"$2" -d"${duration}s" --latency \
    -s "$repo/tools/bench/wrk_post.lua" "http://127.0.0.1:$1/v1/classify" > "$work/wrk.txt" 2>&1
  local rps p50 p99 non200
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$work/wrk.txt")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")")"
  non200="$(awk '/^non200/ { print $2 }' "$work/wrk.txt")"
  echo "$rps $p50 $p99 ${non200:-0}"
}

report="$work/report.md"
{
  echo "| concurrency | fastintent req/s | peer req/s | throughput ratio | fastintent p50 ms | peer p50 ms | p50 ratio (peer/ours) | fastintent p99 ms | peer p99 ms | non-200 (ours/peer) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$report"
for c in $concurrency; do
  read -r o_rps o_p50 o_p99 o_err <<< "$(run_wrk "$ours_port" "$c")"
  read -r p_rps p_p50 p_p99 p_err <<< "$(run_wrk "$peer_port" "$c")"
  awk -v c="$c" -v orps="$o_rps" -v prps="$p_rps" -v op50="$o_p50" -v pp50="$p_p50" -v op99="$o_p99" \
      -v pp99="$p_p99" -v oe="$o_err" -v pe="$p_err" 'BEGIN {
    printf "| %d | %.1f | %.1f | %.2fx | %.2f | %.2f | %.2fx | %.2f | %.2f | %d/%d |\n",
           c, orps, prps, (prps > 0 ? orps / prps : 0), op50, pp50, (op50 > 0 ? pp50 / op50 : 0), op99, pp99, oe, pe }' >> "$report"
done
{
  echo
  echo "model: $model ($([[ $quantized == 1 ]] && echo INT8 || echo fp32)); peer padding: $peer_padding, max_length $max_length;"
  echo "wrk ${duration}s per cell, texts: data/telecom-ru/test.csv round-robin; $(nproc) CPUs shared by servers and wrk."
} >> "$report"
cat "$report"
[[ -n "$out" ]] && cp "$report" "$out"
exit 0
