#!/usr/bin/env bash
# Throughput of 1, 2, 3... replicas behind HAProxy (scripts/replicas.sh) on this machine, measured with wrk
# (tools/bench/serve_load.sh: one text per request, 12 Russian/English phrases), rounds interleaved, medians
# reported (docs/deploy.md, "Throughput of replicas").
#
#   scripts/replicas_bench.sh --model DIR [--quantized] [--counts "1 2 3"] [--rounds 3] [--duration 10]
#                             [--concurrency 64]
#
# Each round starts every replica count in turn; with one replica it also measures the replica directly (no
# balancer), so the balancer's own cost shows. Prints one line per measurement and a median table with the
# balancer's CPU use (HAProxy's user+system time over the run, in % of one core) and one replica's RSS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model=""
counts="1 2 3"
rounds=3
duration=10
concurrency=64
serve_extra=()
while (($#)); do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --quantized) serve_extra+=(--quantized); shift ;;
    --counts) counts="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
done
[[ -n "$model" ]] || { echo "replicas_bench.sh: --model DIR is required" >&2; exit 2; }
export REPLICAS_DIR="${REPLICAS_DIR:-$root/var/replicas-bench}"
lb_port="${REPLICAS_LB_PORT:-8080}"
export REPLICAS_LB_PORT="$lb_port"
export FASTINTENT_LOG_LEVEL=warn
results="$(mktemp)"
trap 'bash "$root/scripts/replicas.sh" stop > /dev/null 2>&1 || true; rm -f "$results"' EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
measure() {  # LABEL URL BALANCER_PID|-
  local label="$1" url="$2" pid="$3" before=0 after line rps
  [[ "$pid" == - ]] || before="$(cpu_ticks "$pid")"
  line="$(bash "$root/tools/bench/serve_load.sh" --url "$url" --duration "$duration" --concurrency "$concurrency" | tail -n 1)"
  rps="$(awk '{ print $2 }' <<< "$line")"
  local lb_cpu="-"
  if [[ "$pid" != - ]]; then
    after="$(cpu_ticks "$pid")"
    lb_cpu="$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v d="$duration" 'BEGIN { printf "%.0f", 100 * t / hz / d }')"
  fi
  local rss
  rss="$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$(bash "$root/scripts/replicas.sh" pid 1)/status")"
  printf '%s\t%s\t%s\t%s\n' "$label" "$rps" "$lb_cpu" "$rss" | tee -a "$results"
}

printf 'setup\trequests/s\tbalancer CPU %%\treplica RSS MB\n'
for ((round = 1; round <= rounds; round++)); do
  for n in $counts; do
    bash "$root/scripts/replicas.sh" start "$n" -- --model "$model" "${serve_extra[@]}" > /dev/null
    if ((n == 1)); then
      measure "1 replica, direct" "http://127.0.0.1:$(bash "$root/scripts/replicas.sh" port 1)" -
      # wrk's 64 connections held all 64 HTTP threads, so the balancer's health checks failed meanwhile.
      bash "$root/scripts/replicas.sh" wait
    fi
    measure "$n behind HAProxy" "http://127.0.0.1:$lb_port" "$(cat "$REPLICAS_DIR/haproxy.pid")"
    bash "$root/scripts/replicas.sh" stop > /dev/null
  done
done

echo
echo "medians of $rounds rounds, concurrency $concurrency, $duration s each:"
sort -t $'\t' -k1,1 -s "$results" | awk -F'\t' '
  function median(a, n,    i, j, t) {  # insertion sort (mawk has no asort)
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function flush() {
    if (label == "") return
    printf "%-22s %10.1f req/s   balancer CPU %5s   replica RSS %s MB   (rounds: %s)\n",
           label, median(rps, i), (cpu[1] == "-" ? "-" : median(cpu, i) "%"), median(rss, i), all
  }
  $1 != label { flush(); label = $1; split("", rps); split("", cpu); split("", rss); all = ""; i = 0 }
  { i++; rps[i] = $2; cpu[i] = $3; rss[i] = $4; all = all (all == "" ? "" : " ") $2 }
  END { flush() }'
