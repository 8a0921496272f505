#!/usr/bin/env bash
# N `fastintent serve` replicas on loopback ports behind HAProxy (deploy/haproxy/haproxy.cfg); docs/deploy.md.
#
#   scripts/replicas.sh start N [-- SERVE_ARGS...]   start N replicas and the balancer; returns once all are ready
#   scripts/replicas.sh stop                         stop the balancer, then every replica (SIGTERM: drain, exit 0)
#   scripts/replicas.sh status                       each replica's pid and /ready, and the balancer's view of it
#   scripts/replicas.sh restart I                    restart replica I (1..N) with SIGTERM; waits until it is ready
#                                                    and the balancer has it back in rotation
#   scripts/replicas.sh rolling-restart              restart every replica, one at a time
#   scripts/replicas.sh reload                       reload the model(s) on every replica, one at a time: POST
#                                                    /v1/admin/reload with the admin token, else SIGHUP;
#                                                    stops at the first replica that refuses the new version
#   scripts/replicas.sh wait                         until every replica is ready and in the balancer's rotation
#   scripts/replicas.sh pid I | port I               replica I's process id or port (for scripts and tests)
#
# The replicas get SERVE_ARGS and every FASTINTENT_* variable of the `start` call (a model is required, e.g.
# FASTINTENT_MODEL=models/telecom-ru or -- --model DIR); a restart reuses them. Each replica binds 127.0.0.1 on its
# own port; clients use the balancer's port only. An admin token given as FASTINTENT_ADMIN_TOKEN is written to a file
# only the user can read (run dir/admin-token) and the replicas get FASTINTENT_ADMIN_TOKEN_FILE instead, so the token
# is in no process's command line or environment; FASTINTENT_ADMIN_TOKEN_FILE may also be given directly.
#
# Settings (environment):
#   REPLICAS_DIR        run directory: pid files, logs, the generated haproxy.cfg (default var/replicas)
#   REPLICAS_LB_PORT    balancer port (default 8080); replicas use REPLICAS_BASE_PORT.. (default 8081..); read by
#   REPLICAS_BASE_PORT  `start`, the other commands use the ports it chose (saved in the run directory)
#   REPLICAS_READY_TIMEOUT  seconds a replica may take to become ready (default 120)
#   REPLICAS_STOP_TIMEOUT   seconds a replica may take to exit after SIGTERM (default 40: the server's
#                           --shutdown-timeout, 30 s by default, + 10)
#   REPLICAS_HAPROXY_CFG    the balancer's configuration template (default deploy/haproxy/haproxy.cfg)
#   FASTINTENT_BIN      the binary (default build/bin/fastintent)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${REPLICAS_DIR:-$root/var/replicas}"
lb_port="${REPLICAS_LB_PORT:-8080}"
base_port="${REPLICAS_BASE_PORT:-8081}"
ready_timeout="${REPLICAS_READY_TIMEOUT:-120}"
stop_timeout="${REPLICAS_STOP_TIMEOUT:-40}"
haproxy_cfg="${REPLICAS_HAPROXY_CFG:-$root/deploy/haproxy/haproxy.cfg}"
# After `start`, the other commands use the ports it chose.
if [[ "${1:-}" != start && -f "$dir/lb_port" ]]; then lb_port="$(cat "$dir/lb_port")"; fi
bin="${FASTINTENT_BIN:-${FASTINTENT_BUILD_DIR:-$root/build}/bin/fastintent}"

say() { printf 'replicas: %s\n' "$*"; }
die() { printf 'replicas: %s\n' "$*" >&2; exit 1; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
replica_count() { [[ -f "$dir/replicas" ]] || die "nothing started in $dir (scripts/replicas.sh start N)"; cat "$dir/replicas"; }
replica_port() { cat "$dir/replica-$1.port"; }
check_index() {
  local n
  n="$(replica_count)"
  if ! [[ "$1" =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > n)); then die "replica index '$1': expected 1..$n"; fi
}
http_status() {  # URL -> status code, 000 when nothing answers
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true
}

# The balancer's state of each server (UP, DOWN, MAINT, ...) from its stats CSV: prints "name status" lines.
balancer_states() {
  curl -s --max-time 2 --unix-socket "$dir/haproxy-stats.sock" 'http://lb/;csv' \
    | awk -F, '$1 == "replicas" && $2 != "BACKEND" { print $2, $18 }'
}
wait_balancer_up() {  # I: until the balancer routes to replica I again
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if balancer_states | grep -qx "r$1 UP"; then return 0; fi
    sleep 0.2
  done
  die "replica $1: the balancer did not put it back in rotation within 30 s; $(balancer_states | tr '\n' ' ')"
}

start_replica() {  # I (a restarted replica keeps its port)
  local i="$1" port=$((base_port + $1 - 1))
  if [[ -f "$dir/replica-$i.port" ]]; then port="$(cat "$dir/replica-$i.port")"; fi
  local -a args=()
  if [[ -s "$dir/serve.args" ]]; then mapfile -d '' -t args < "$dir/serve.args"; fi
  (
    cd "$(cat "$dir/cwd")"  # relative model paths mean what they meant at `start`
    unset FASTINTENT_ADMIN_TOKEN  # the replicas read it from FASTINTENT_ADMIN_TOKEN_FILE (see cmd_start)
    # shellcheck disable=SC1091
    source "$dir/env.sh"
    export FASTINTENT_HOST=127.0.0.1 FASTINTENT_PORT="$port" ORT_DISABLE_TELEMETRY="${ORT_DISABLE_TELEMETRY:-1}"
    exec "$bin" serve "${args[@]}" >> "$dir/replica-$i.log" 2>&1
  ) &
  echo $! > "$dir/replica-$i.pid"
  echo "$port" > "$dir/replica-$i.port"
}

wait_ready() {  # I
  local i="$1" deadline=$((SECONDS + ready_timeout)) port
  port="$(replica_port "$i")"
  while ((SECONDS < deadline)); do
    if ! alive "$dir/replica-$i.pid"; then
      tail -n 5 "$dir/replica-$i.log" >&2 || true
      die "replica $i exited during start-up; log: $dir/replica-$i.log"
    fi
    [[ "$(http_status "http://127.0.0.1:$port/ready")" == 200 ]] && return 0
    sleep 0.1
  done
  die "replica $i (port $port) not ready after $ready_timeout s; log: $dir/replica-$i.log"
}

stop_process() {  # PIDFILE WHAT TIMEOUT: SIGTERM, wait; returns non-zero if it had to be killed
  local pidfile="$1" what="$2" timeout="$3" pid deadline
  alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    say "$what (pid $pid) still running $timeout s after SIGTERM: killed"
    return 1
  fi
  rm -f "$pidfile"
}

write_balancer_config() {  # N
  local servers="" i
  for ((i = 1; i <= $1; i++)); do
    servers+="    server r$i 127.0.0.1:$((base_port + i - 1))"$'\n'
  done
  awk -v servers="$servers" '/# @SERVERS@/ { printf "%s", servers; next } { print }' \
    "$haproxy_cfg" > "$dir/haproxy.cfg"
  REPLICAS_DIR="$dir" REPLICAS_LB_PORT="$lb_port" haproxy -c -q -f "$dir/haproxy.cfg"
}

cmd_start() {
  if ! [[ "${1:-}" =~ ^[1-9][0-9]*$ ]]; then die "start N [-- SERVE_ARGS...]: N must be a positive number"; fi
  local n="$1"; shift
  [[ "${1:-}" == "--" ]] && shift
  command -v haproxy > /dev/null || die "haproxy is not installed (apt-get install haproxy)"
  [[ -x "$bin" ]] || die "no binary at $bin (build it: cmake --build build --target fastintent, or set FASTINTENT_BIN)"
  if [[ -z "${FASTINTENT_MODEL:-}" ]] && [[ ! " $* " =~ \ (--model|-m)[\ =] ]]; then
    die "no model: set FASTINTENT_MODEL=DIR or pass -- --model DIR"
  fi
  alive "$dir/haproxy.pid" && die "already running in $dir (scripts/replicas.sh stop first)"
  mkdir -p "$dir"
  chmod 700 "$dir"  # admin-token
  rm -f "$dir"/replica-*.pid "$dir"/replica-*.port "$dir"/replica-*.log "$dir/haproxy.log"
  echo "$n" > "$dir/replicas"
  echo "$lb_port" > "$dir/lb_port"
  pwd > "$dir/cwd"
  printf '%s\0' "$@" > "$dir/serve.args"
  : > "$dir/env.sh"
  rm -f "$dir/admin-token"
  local var i
  for var in $(compgen -e | grep -E '^(FASTINTENT_|ORT_)' | grep -vx FASTINTENT_ADMIN_TOKEN || true); do
    declare -p "$var" >> "$dir/env.sh"
  done
  if [[ -n "${FASTINTENT_ADMIN_TOKEN:-}" ]]; then
    (umask 077 && printf '%s\n' "$FASTINTENT_ADMIN_TOKEN" > "$dir/admin-token")
    printf 'declare -x FASTINTENT_ADMIN_TOKEN_FILE=%q\n' "$dir/admin-token" >> "$dir/env.sh"
  fi
  write_balancer_config "$n"
  for ((i = 1; i <= n; i++)); do start_replica "$i"; done
  for ((i = 1; i <= n; i++)); do wait_ready "$i"; done
  REPLICAS_DIR="$dir" REPLICAS_LB_PORT="$lb_port" haproxy -db -f "$dir/haproxy.cfg" >> "$dir/haproxy.log" 2>&1 &
  echo $! > "$dir/haproxy.pid"
  for ((i = 1; i <= n; i++)); do wait_balancer_up "$i"; done
  say "$n replicas on 127.0.0.1:$base_port..$((base_port + n - 1)) behind HAProxy on http://127.0.0.1:$lb_port (run dir $dir)"
}

cmd_stop() {
  [[ -d "$dir" ]] || { say "nothing to stop in $dir"; return 0; }
  local failed=0 f i
  stop_process "$dir/haproxy.pid" "balancer" 10 || failed=1
  for f in "$dir"/replica-*.pid; do
    [[ -e "$f" ]] || continue
    i="${f##*/replica-}"; i="${i%.pid}"
    stop_process "$f" "replica $i" "$stop_timeout" || failed=1
  done
  rm -f "$dir/haproxy-stats.sock"
  ((failed == 0)) || die "stopped, but not every process exited on SIGTERM in time"
  say "stopped"
}

cmd_status() {
  local n i pid state ready
  n="$(replica_count)"
  declare -A lb=()
  if alive "$dir/haproxy.pid"; then
    while read -r name state; do lb[$name]="$state"; done < <(balancer_states)
    say "balancer: pid $(cat "$dir/haproxy.pid"), http://127.0.0.1:$lb_port, /ready through it: $(http_status "http://127.0.0.1:$lb_port/ready")"
  else
    say "balancer: not running"
  fi
  for ((i = 1; i <= n; i++)); do
    pid="-"; ready="-"
    if alive "$dir/replica-$i.pid"; then
      pid="$(cat "$dir/replica-$i.pid")"
      ready="$(http_status "http://127.0.0.1:$(replica_port "$i")/ready")"
    fi
    say "replica $i: port $(replica_port "$i"), pid $pid, /ready $ready, balancer ${lb[r$i]:-?}"
  done
}

cmd_restart() {  # I
  check_index "$1"
  stop_process "$dir/replica-$1.pid" "replica $1" "$stop_timeout" || true
  start_replica "$1"
  wait_ready "$1"
  if alive "$dir/haproxy.pid"; then wait_balancer_up "$1"; fi
  say "replica $1 restarted (pid $(cat "$dir/replica-$1.pid"))"
}

cmd_wait() {
  local n i
  n="$(replica_count)"
  for ((i = 1; i <= n; i++)); do wait_ready "$i"; done
  for ((i = 1; i <= n; i++)); do wait_balancer_up "$i"; done
}

cmd_rolling_restart() {
  local n i
  n="$(replica_count)"
  for ((i = 1; i <= n; i++)); do cmd_restart "$i"; done
}

cmd_reload() {
  local n i token="" status port body
  n="$(replica_count)"
  local token_file
  # shellcheck disable=SC1091
  token_file="$(source "$dir/env.sh"; echo "${FASTINTENT_ADMIN_TOKEN_FILE:-}")"
  if [[ -n "$token_file" ]]; then token="$(head -n 1 "$token_file")"; fi
  for ((i = 1; i <= n; i++)); do
    alive "$dir/replica-$i.pid" || die "replica $i is not running"
    port="$(replica_port "$i")"
    if [[ -n "$token" ]]; then
      body="$(curl -s --max-time 120 -w '\n%{http_code}' -X POST "http://127.0.0.1:$port/v1/admin/reload" \
                -H @<(printf 'Authorization: Bearer %s\n' "$token") -H 'Content-Type: application/json' -d '{}')"
      status="${body##*$'\n'}"
      [[ "$status" == 200 ]] || die "replica $i refused the reload ($status): ${body%$'\n'*}; replicas after it keep the old version"
      say "replica $i: ${body%$'\n'*}"
    else
      kill -HUP "$(cat "$dir/replica-$i.pid")"
      say "replica $i: SIGHUP sent (no admin token; the outcome is in $dir/replica-$i.log)"
    fi
  done
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) (($# == 2)) || die "restart I"; cmd_restart "$2" ;;
  rolling-restart) cmd_rolling_restart ;;
  reload) cmd_reload ;;
  wait) cmd_wait ;;
  pid) (($# == 2)) || die "pid I"; check_index "$2"; cat "$dir/replica-$2.pid" ;;
  port) (($# == 2)) || die "port I"; check_index "$2"; replica_port "$2" ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
