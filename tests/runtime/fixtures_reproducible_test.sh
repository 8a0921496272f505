#!/usr/bin/env bash
# The committed runtime fixtures are exactly what tools/fixtures/make_runtime_fixtures.py makes (same pinned
# Python stack): regenerates them into OUT and compares every file byte for byte.
# Usage: fixtures_reproducible_test.sh PYTHON SCRIPT COMMITTED_DIR OUT_DIR
set -eu
python="$1"; script="$2"; committed="$3"; out="$4"
rm -rf "$out"
HF_HUB_OFFLINE=1 "$python" "$script" --out "$out" >/dev/null 2>&1 || { echo "FAIL: $script exited non-zero"; exit 1; }
status=0
while IFS= read -r -d '' file; do
  rel="${file#"$committed"/}"
  if ! cmp -s "$file" "$out/$rel"; then echo "FAIL: $rel differs from a fresh run of the script"; status=1; fi
done < <(find "$committed" -type f -print0)
[[ $status -eq 0 ]] && echo "runtime fixtures: reproduced byte for byte"
exit $status
