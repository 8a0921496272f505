# Reads the output of `wrk --latency` and prints one line: requests/s, p50 ms, p99 ms, non-2xx responses and
# socket errors (connect + read + write + timeout). The one parser of wrk's report for tools/bench/serve_load.sh
# and tools/bench/compare_serving.sh. Usage: awk -f wrk_summary.awk WRK_OUTPUT
function ms(v,    n) { n = v + 0; if (v ~ /us$/) return n / 1000; if (v ~ /ms$/) return n; if (v ~ /s$/) return n * 1000; return n }
/^Requests\/sec:/ { rps = $2 }
$1 == "50%" { p50 = ms($2) }
$1 == "99%" { p99 = ms($2) }
/Non-2xx or 3xx responses:/ { non2xx = $5 }
/Socket errors:/ { gsub(/,/, ""); socket = $4 + $6 + $8 + $10 }
END { printf "%.2f %.3f %.3f %d %d\n", rps + 0, p50 + 0, p99 + 0, non2xx + 0, socket + 0 }
