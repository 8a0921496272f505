#!/usr/bin/env bash
# `fastintent predict` end to end: arguments, stdin, --quantized, --top-k, and broken model directories
# (clear message, non-zero exit, no crash). Usage: predict_cli_test.sh FASTINTENT FIXTURES_DIR PYTHON
set -u
bin="$1"; fixtures="$2"; python="$3"
model="$fixtures/bert"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Checks that every stdout line is {"text","label","score","top":[k entries]} with a label from config.json.
check_json() {  # file expected_lines top_k
  "$python" - "$1" "$2" "$3" "$model/config.json" <<'PY' || return 1
import json, sys
path, lines, k, config = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
labels = set(json.load(open(config))["id2label"].values())
rows = [json.loads(l) for l in open(path, encoding="utf-8")]
assert len(rows) == lines, f"got {len(rows)} lines, expected {lines}"
for r in rows:
    assert set(r) >= {"text", "label", "score", "top", "truncated"}, r
    assert r["label"] in labels and len(r["top"]) == k, r
    assert r["top"][0]["label"] == r["label"] and 0 < r["score"] <= 1, r
    assert all(a["score"] >= b["score"] for a, b in zip(r["top"], r["top"][1:])), r
PY
}

# Runs a command that must fail: exit code 1 or 2 (not a signal), and stderr mentioning $2.
expect_failure() {  # description expected_substring command...
  local what="$1" needle="$2"; shift 2
  "$@" >"$work/out" 2>"$work/err" </dev/null
  local rc=$?
  if [[ $rc -ne 1 && $rc -ne 2 ]]; then fail "$what: exit code $rc, expected 1 or 2"; cat "$work/err"; return; fi
  if ! grep -q -- "$needle" "$work/err"; then fail "$what: stderr lacks '$needle'"; cat "$work/err"; fi
}

# 1. texts as arguments
"$bin" predict --model "$model" --top-k 3 "как бы мне оператора услышать?" "What is my balance?" >"$work/args" \
  || fail "predict with arguments exited non-zero"
check_json "$work/args" 2 3 || fail "arguments: bad JSON output"
grep -q '"text":"как бы мне оператора услышать?"' "$work/args" || fail "arguments: text not echoed as UTF-8"

# 2. stdin, one text per line (CRLF tolerated), default top-k 3; the same text gives the same answer
printf 'баланс\r\nI want to change my plan\nбаланс\n' | "$bin" predict --model "$model" >"$work/stdin" \
  || fail "predict from stdin exited non-zero"
check_json "$work/stdin" 3 3 || fail "stdin: bad JSON output"
[[ "$(sed -n 1p "$work/stdin")" == "$(sed -n 3p "$work/stdin")" ]] || fail "stdin: same text, different result"

# 3. INT8 model and a small --max-length that truncates
"$bin" predict --model "$model" --quantized --top-k 1 --max-length 4 "a text long enough to be truncated" \
  >"$work/q" || fail "predict --quantized exited non-zero"
check_json "$work/q" 1 1 || fail "--quantized: bad JSON output"
grep -q '"truncated":true' "$work/q" || fail "--max-length 4 did not flag truncation"

# 4. broken inputs: clear message, exit code 1/2, never a crash
expect_failure "missing directory" "no such directory" "$bin" predict --model "$work/nope" hi
mkdir "$work/empty"
expect_failure "empty directory" "config.json: missing" "$bin" predict --model "$work/empty" hi
cp -r "$model" "$work/labels"
"$python" - "$work/labels/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["id2label"] = {str(i): f"l{i}" for i in range(5)}; c.pop("label2id", None)
json.dump(c, open(sys.argv[1], "w"))
PY
expect_failure "outputs do not match labels" "5 labels" "$bin" predict --model "$work/labels" hi
cp -r "$model" "$work/noq" && rm "$work/noq/model_quantized.onnx"
expect_failure "no quantized model" "model_quantized.onnx: missing" "$bin" predict --model "$work/noq" --quantized hi
cp -r "$model" "$work/corrupt" && echo garbage >"$work/corrupt/model.onnx"
expect_failure "corrupt model" "ONNX Runtime cannot load it" "$bin" predict --model "$work/corrupt" hi
expect_failure "bad flag" "top-k" "$bin" predict --model "$model" --top-k 0 hi
expect_failure "unreadable stdin" "stdin" bash -c "\"$bin\" predict --model \"$model\" < \"$work\""

if [[ $failures -ne 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "predict CLI: all checks passed"
