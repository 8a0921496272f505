#!/usr/bin/env bash
# CI smoke of tools/bench/compare_serving.sh on the committed tiny fixture model: fastintent serve against the
# fair FastAPI peer (tokenize once, two uvicorn workers, padding like ours) and against the article's stack as
# written (INT8, max_length padding), one-second cells. Checks that both servers answered every request with 200,
# that the report has one row per concurrency and every sample, and that it records the machine and versions.
# Timings are never asserted. Usage: serving_smoke_test.sh REPO FASTINTENT_BUILD_DIR MODEL_DIR PYTHON OUT_DIR
set -euo pipefail
repo="$1" build="$2" model="$3" python="$4" out="$5"
rm -rf "$out"
mkdir -p "$out"
fail() { echo "serving smoke: $*" >&2; cat "$out"/*.log >&2 || true; exit 1; }

check_report() {  # report, expected sample lines
  local report="$1" samples="$2"
  for c in 1 4; do
    grep -Eq "^\| $c \| [0-9,]+ \| [0-9,]+ \| [0-9.]+x \(" "$report" || fail "$report: no row for concurrency $c"
  done
  # Every request answered 200 with no socket errors, on both sides.
  [[ "$(grep -Ec '\| 0/0 \|$' "$report")" -eq 2 ]] || fail "$report: non-2xx or socket errors"
  [[ "$(grep -Ec '^[0-9]+ (1|4) (fastintent|peer) [0-9.]+ ' "$report")" -eq "$samples" ]] ||
    fail "$report: expected $samples samples"
  grep -q '^SIMD flags: ' "$report" || fail "$report: no SIMD flags"
  grep -q 'onnxruntime [0-9.]*, fastapi' "$report" || fail "$report: no peer versions"
}

bash "$repo/tools/bench/compare_serving.sh" --build "$build" --model "$model" --peer-python "$python" \
  --duration 1 --rounds 2 --concurrency "1 4" --ports "18390 18391" --out "$out/fair.md" > "$out/fair.log" 2>&1 ||
  fail "fair run failed"
check_report "$out/fair.md" 8
grep -q 'fair stack: [0-9]* uvicorn worker(s) x 1 intra-op thread(s), padding longest' \
  "$out/fair.md" || fail "fair.md does not describe the fair peer"

bash "$repo/tools/bench/compare_serving.sh" --build "$build" --model "$model" --peer-python "$python" \
  --stack article --peer-padding max_length --max-length 32 --quantized --duration 1 --rounds 1 \
  --concurrency "1 4" --ports "18392 18393" --out "$out/article.md" > "$out/article.log" 2>&1 ||
  fail "article run failed"
check_report "$out/article.md" 4
grep -q 'article stack: 1 uvicorn process' "$out/article.md" || fail "article.md does not describe the article stack"
grep -q '(INT8), max length 32' "$out/article.md" || fail "article.md does not say INT8 and max length 32"

# Bad arguments are refused with a clear message before anything starts.
if bash "$repo/tools/bench/compare_serving.sh" --stack other > "$out/bad.log" 2>&1; then fail "--stack other accepted"; fi
grep -q -- '--stack fair|article' "$out/bad.log" || fail "no clear message for --stack other"
echo "serving smoke: ok"
