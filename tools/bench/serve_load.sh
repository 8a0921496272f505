#!/usr/bin/env bash
# Load test of a RUNNING `fastintent serve` with wrk: throughput and p50/p99 latency at each concurrency,
# plus non-2xx and socket-error counts. It does not start or stop the server (compare_serving.sh does that
# for the side-by-side with the Python stack). Numbers on a shared 2-core machine are noisy: say so.
# Usage: tools/bench/serve_load.sh [--url http://127.0.0.1:8080] [--duration SECONDS] [--concurrency "1 4 16 64"]
#          [--bodies FILE.jsonl]   (one JSON request body per line; default: 12 Russian/English phrases)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
url="http://127.0.0.1:8080"
duration=10
concurrency="1 4 16 64"
bodies=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --bodies) bodies="$2"; shift 2 ;;
    *) echo "serve_load.sh: unknown argument '$1' (see the usage at the top of the file)" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "serve_load.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
curl -sf "$url/ready" >/dev/null || { echo "serve_load.sh: $url/ready does not answer 200; start fastintent serve first" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ -z "$bodies" ]]; then
  bodies="$work/bodies.jsonl"
  for text in "хочу подключить безлимитный интернет" "не работает мобильный интернет" "как узнать баланс?" \
              "заблокируйте, пожалуйста, мою сим-карту" "позовите оператора" "где ближайший салон связи" \
              "I want to change my tariff plan" "my card was blocked" "how do I top up my balance?" \
              "roaming prices in Turkey" "why was I charged twice this month" "ok"; do
    printf '{"text": "%s"}\n' "$text" >> "$bodies"
  done
fi

printf '%-12s %12s %10s %10s %9s %14s\n' concurrency "requests/s" "p50 ms" "p99 ms" "non-2xx" "socket errors"
for c in $concurrency; do
  threads=$(( c < 2 ? c : 2 ))
  WRK_BODIES="$bodies" wrk -t "$threads" -c "$c" -d "${duration}s" --latency -s "$repo/tools/bench/wrk_post.lua" \
    "$url/v1/classify" > "$work/wrk_$c.txt"
  read -r rps p50 p99 non2xx sock <<< "$(awk -f "$repo/tools/bench/wrk_summary.awk" "$work/wrk_$c.txt")"
  printf '%-12d %12.1f %10.3f %10.3f %9d %14d\n' "$c" "$rps" "$p50" "$p99" "$non2xx" "$sock"
done
