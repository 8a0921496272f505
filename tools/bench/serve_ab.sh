#!/usr/bin/env bash
# Two builds of `fastintent serve` side by side on the same model: rounds interleaved (A, B, A, B, ...), a fresh
# server per measurement, wrk through tools/bench/serve_load.sh at each concurrency; prints every round and the
# medians with the ratio B/A. For "is the new server as fast as the old one" on a shared, noisy machine: report the
# medians of at least 5 rounds and the machine. Servers run on loopback for a bounded time and are stopped (also on
# error).
# Usage: tools/bench/serve_ab.sh --a BIN --b BIN [--model DIR] [--rounds 5] [--duration 10] [--concurrency "1 64"]
#          [--a-args "..."] [--b-args "..."]   (extra `serve` flags for one side, e.g. --b-args "--http-threads 4")
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
a=""
b=""
model="$repo/tests/fixtures/runtime/bert"
rounds=5
duration=10
concurrency="1 64"
a_args=""
b_args=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --a) a="$2"; shift 2 ;;
    --b) b="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --a-args) a_args="$2"; shift 2 ;;
    --b-args) b_args="$2"; shift 2 ;;
    *) echo "serve_ab.sh: unknown argument '$1' (see the usage at the top of the file)" >&2; exit 2 ;;
  esac
done
[[ -x "$a" && -x "$b" ]] || { echo "serve_ab.sh: --a and --b must be fastintent binaries" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -INT "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
port=$((20000 + RANDOM % 10000))

measure() {  # SIDE BIN ARGS ROUND
  local side="$1" bin="$2" args="$3" round="$4"
  # shellcheck disable=SC2086  # ARGS is a list of flags
  "$bin" serve --model "$model" --port "$port" --log-level warn $args > "$work/server-$side-$round.log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$port/ready" > /dev/null && break
    sleep 0.05
  done
  bash "$repo/tools/bench/serve_load.sh" --url "http://127.0.0.1:$port" --duration "$duration" \
    --concurrency "$concurrency" | tail -n +2 | sed "s/^/$side $round /" >> "$work/results"
  kill -INT "$pid"
  wait "$pid" || true
  pid=""
}

for ((r = 1; r <= rounds; r++)); do
  # Alternate which side goes first, so neither always runs on the warmer (or quieter) half of a round.
  if ((r % 2)); then
    measure A "$a" "$a_args" "$r"
    measure B "$b" "$b_args" "$r"
  else
    measure B "$b" "$b_args" "$r"
    measure A "$a" "$a_args" "$r"
  fi
done

printf '%-5s %-5s %-12s %12s %10s %10s\n' side round concurrency "requests/s" "p50 ms" "p99 ms"
sort -k3,3n -k1,1 -k2,2n "$work/results" | awk '{ printf "%-5s %-5s %-12s %12s %10s %10s\n", $1, $2, $3, $4, $5, $6 }'
echo
echo "medians over $rounds rounds (A: $a $a_args; B: $b $b_args)"
printf '%-12s %14s %14s %8s %12s %12s %8s\n' concurrency "A requests/s" "B requests/s" "B/A" "A p50 ms" "B p50 ms" "B/A"
for c in $concurrency; do
  awk -v c="$c" '
    function median(v, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    $3 == c && $1 == "A" { ar[++na] = $4; ap[na] = $5 }
    $3 == c && $1 == "B" { br[++nb] = $4; bp[nb] = $5 }
    END {
      mar = median(ar, na); mbr = median(br, nb); map = median(ap, na); mbp = median(bp, nb)
      printf "%-12s %14.1f %14.1f %8.3f %12.3f %12.3f %8.3f\n", c, mar, mbr, mbr / mar, map, mbp, mbp / map
    }' "$work/results"
done
