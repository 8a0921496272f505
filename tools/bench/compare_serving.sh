#!/usr/bin/env bash
# fastintent serve against a Python FastAPI stack (tools/peers/article_stack), same machine, same model directory,
# same texts, same load generator (wrk): throughput and p50/p99 at each concurrency, in interleaved rounds (each
# round runs every concurrency on both servers, the order of the two alternating), then medians over rounds, ratios
# of medians and the per-round range of each ratio. Both servers stay up for the whole run on loopback ports and
# are stopped at the end (also on error); wrk, both servers and their idle time share the machine's cores.
#
# Usage: tools/bench/compare_serving.sh [--build DIR] [--model DIR] [--quantized] [--duration SECONDS]
#          [--concurrency "1 4 16 64"] [--rounds N] [--stack fair|article] [--peer-workers N]
#          [--peer-intra-op-threads N] [--peer-padding longest|max_length] [--max-length N]
#          [--peer-python PATH] [--ports "OURS PEER"] [--ours-flags "FLAGS"] [--out FILE.md]
#   --stack fair     (default) tokenize once with `tokenizers`, uvicorn[standard], --peer-workers processes
#                    (default: one per core), --peer-intra-op-threads each (default 1): issue 16's fair peer
#   --stack article  the article's stack as written: one uvicorn process, transformers' tokenizer, 1 thread
#   --peer-padding   longest (default: like ours, each request padded to its own longest text) or max_length
#                    (the article's: every request padded to --max-length, default 128)
#   --peer-python    a Python with onnxruntime, fastapi, uvicorn, tokenizers, transformers (default: the ort peer
#                    venv from tools/peers/setup_peers.sh --only ort, onnxruntime 1.30.0 as our engine)
#   --ports          the two loopback ports (default "18090 18091")
#   --ours-flags     extra `fastintent serve` flags, e.g. "--inference-threads 1 --intra-op-threads 2"
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
build="$repo/build"
model="$repo/models/bench/rubert-tiny2"
quantized=0
duration=10
concurrency="1 4 16 64"
rounds=3
stack=fair
peer_workers="$(nproc)"
peer_threads=1
peer_padding=longest
max_length=128
python="$repo/var/peers/ort/bin/python"
out=""
ours_port=18090
peer_port=18091
ours_flags=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --quantized) quantized=1; shift ;;
    --duration) duration="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --stack) stack="$2"; shift 2 ;;
    --peer-workers) peer_workers="$2"; shift 2 ;;
    --peer-intra-op-threads) peer_threads="$2"; shift 2 ;;
    --peer-padding) peer_padding="$2"; shift 2 ;;
    --max-length) max_length="$2"; shift 2 ;;
    --peer-python) python="$2"; shift 2 ;;
    --ports) read -r ours_port peer_port <<< "$2"; shift 2 ;;
    --ours-flags) ours_flags="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "compare_serving.sh: unknown argument '$1' (usage at the top of the file)" >&2; exit 2 ;;
  esac
done
[[ "$stack" == fair || "$stack" == article ]] || { echo "compare_serving.sh: --stack fair|article, got '$stack'" >&2; exit 2; }
[[ "$peer_padding" == longest || "$peer_padding" == max_length ]] ||
  { echo "compare_serving.sh: --peer-padding longest|max_length, got '$peer_padding'" >&2; exit 2; }
for n in "$rounds" "$peer_workers" "$peer_threads" "$duration" "$max_length" "$ours_port" "${peer_port:-}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "compare_serving.sh: expected a positive integer, got '$n'" >&2; exit 2; }
done
[[ "$stack" == article ]] && peer_workers=1
fastintent="$build/bin/fastintent"
for tool in "$fastintent" "$python" "$(command -v wrk || true)" "$(command -v curl || true)"; do
  [[ -n "$tool" && -x "$tool" ]] ||
    { echo "compare_serving.sh: missing tool (fastintent, peer python: tools/peers/setup_peers.sh --only ort, wrk, curl)" >&2; exit 1; }
done
[[ -f "$model/model.onnx" ]] || { echo "compare_serving.sh: no $model/model.onnx (run tools/bench/prepare_models.sh)" >&2; exit 1; }

work="$(mktemp -d)"
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
read -r -a extra_flags <<< "$ours_flags"
"$fastintent" serve --model "$model" --host 127.0.0.1 --port "$ours_port" --max-length "$max_length" \
  "${quant_flag[@]}" "${extra_flags[@]}" --log-level warn > "$work/ours.log" 2>&1 &
pids+=($!)
uvicorn_flags=(--host 127.0.0.1 --port "$peer_port" --log-level warning --no-access-log)
[[ "$stack" == fair ]] && uvicorn_flags+=(--workers "$peer_workers" --loop uvloop --http httptools)
PEER_MODEL_DIR="$model" PEER_QUANTIZED="$quantized" PEER_MAX_LENGTH="$max_length" PEER_PADDING="$peer_padding" \
  PEER_STACK="$stack" PEER_INTRA_OP_THREADS="$peer_threads" HF_HUB_OFFLINE=1 \
  "$python" -m uvicorn --app-dir "$repo/tools/peers/article_stack" app:app "${uvicorn_flags[@]}" \
  > "$work/peer.log" 2>&1 &
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

run_wrk() {  # port concurrency seconds -> "rps p50_ms p99_ms non2xx socket_errors"
  local threads=$(( $2 < 2 ? $2 : 2 ))
  WRK_BODIES="$work/bodies.jsonl" wrk -t"$threads" -c"$2" -d"$3s" --latency \
    -s "$repo/tools/bench/wrk_post.lua" "http://127.0.0.1:$1/v1/classify" > "$work/wrk.txt" 2>&1
  awk -f "$repo/tools/bench/wrk_summary.awk" "$work/wrk.txt"
}

# Warm both (every peer worker loads its session lazily on first use of its caches).
run_wrk "$ours_port" 4 2 > /dev/null
run_wrk "$peer_port" 4 2 > /dev/null
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "round concurrency server rps p50_ms p99_ms non2xx socket_errors" > "$work/samples.txt"
for round in $(seq 1 "$rounds"); do
  index=0
  for c in $concurrency; do
    if (( (round + index) % 2 )); then order="$peer_port $ours_port"; else order="$ours_port $peer_port"; fi
    for port in $order; do
      name=peer; [[ "$port" == "$ours_port" ]] && name=fastintent
      echo "$round $c $name $(run_wrk "$port" "$c" "$duration")" >> "$work/samples.txt"
    done
    index=$((index + 1))
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

versions="$("$python" -c 'import onnxruntime, fastapi, uvicorn, tokenizers; print(f"onnxruntime {onnxruntime.__version__}, fastapi {fastapi.__version__}, uvicorn {uvicorn.__version__}, tokenizers {tokenizers.__version__}")')"
peer_desc="$stack stack: $peer_workers uvicorn worker(s) x $peer_threads intra-op thread(s), padding $peer_padding"
[[ "$stack" == article ]] && peer_desc="article stack: 1 uvicorn process, 1 intra-op thread, transformers tokenizer (twice per text), padding $peer_padding"
"$python" - "$work/samples.txt" > "$work/report.md" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]).read().splitlines()[1:]]
by = {}
for r, c, name, rps, p50, p99, non2xx, sock in rows:
    by.setdefault(int(c), {}).setdefault(int(r), {})[name] = (float(rps), float(p50), float(p99), int(non2xx), int(sock))
print("| concurrency | fastintent req/s | peer req/s | throughput ratio (per-round range) | fastintent p50 ms | "
      "peer p50 ms | p50 ratio peer/ours (range) | fastintent p99 ms | peer p99 ms | non-2xx + socket errors (ours/peer) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
med = statistics.median
for c in sorted(by):
    rounds = by[c].values()
    o = [x["fastintent"] for x in rounds]
    p = [x["peer"] for x in rounds]
    tput = [a[0] / b[0] if b[0] else float("inf") for a, b in zip(o, p)]
    lat = [b[1] / a[1] if a[1] else float("inf") for a, b in zip(o, p)]
    o_rps, p_rps = med(a[0] for a in o), med(b[0] for b in p)
    o_p50, p_p50 = med(a[1] for a in o), med(b[1] for b in p)
    print(f"| {c} | {o_rps:,.0f} | {p_rps:,.0f} | {o_rps / p_rps:.2f}x ({min(tput):.2f}–{max(tput):.2f}) | "
          f"{o_p50:.3f} | {p_p50:.3f} | {p_p50 / o_p50:.2f}x ({min(lat):.2f}–{max(lat):.2f}) | "
          f"{med(a[2] for a in o):.3f} | {med(b[2] for b in p):.3f} | "
          f"{sum(a[3] + a[4] for a in o)}/{sum(b[3] + b[4] for b in p)} |")
PY
{
  echo
  echo "Medians over $rounds interleaved rounds of ${duration} s per cell (wrk, texts: data/telecom-ru/test.csv round-robin)."
  echo "Model: $model ($([[ $quantized == 1 ]] && echo INT8 || echo fp32)), max length $max_length."
  echo "fastintent: \`fastintent serve\` ${ours_flags:-defaults} (pads each dynamic batch to its longest text)."
  echo "Peer: $peer_desc; $versions."
  echo "Machine: $(nproc) CPUs shared by both servers and wrk; $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1);"
  echo "SIMD flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_vnni|avx_vnni|avx512_bf16|amx_int8)$' | tr '\n' ' ')"
  echo "Load average before/after: $load_before / $load_after; $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo
  echo "Every sample (round, concurrency, server, req/s, p50 ms, p99 ms, non-2xx, socket errors):"
  echo
  echo '```'
  cat "$work/samples.txt"
  echo '```'
} >> "$work/report.md"
cat "$work/report.md"
[[ -n "$out" ]] && cp "$work/report.md" "$out"
exit 0
