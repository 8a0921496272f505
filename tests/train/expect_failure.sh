#!/bin/sh
# Runs a command that must fail cleanly: exit status 1 (not a crash, not a usage error) and a message on
# stderr containing PATTERN (grep -E). Usage: expect_failure.sh PATTERN COMMAND [ARGS...]
pattern="$1"
shift
stderr_file="$(mktemp)"
"$@" 2>"$stderr_file" >/dev/null
status=$?
message="$(cat "$stderr_file")"
rm -f "$stderr_file"
echo "exit status $status; stderr: $message"
if [ "$status" -ne 1 ]; then
  echo "FAIL: expected exit status 1"
  exit 1
fi
if ! printf '%s' "$message" | grep -Eq -- "$pattern"; then
  echo "FAIL: stderr does not match: $pattern"
  exit 1
fi
echo "OK"
