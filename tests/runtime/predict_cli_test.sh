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

# 5. scores as config.json says: an Optimum-style multi-label export is scored with a sigmoid per label, a
#    temperature divides the logits, a margin hands close calls over; --raw-scores shows the logits
"$bin" predict --model "$model" --top-k 100 --raw-scores "как бы мне оператора услышать?" "What is my balance?" \
  >"$work/raw" || fail "predict --raw-scores exited non-zero"
scored_copy() {  # name python-statements-on-c
  cp -r "$model" "$work/$1"
  "$python" - "$work/$1/config.json" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); exec(sys.argv[2]); json.dump(c, open(sys.argv[1], "w"))
PY
  "$bin" predict --model "$work/$1" --top-k 100 --raw-scores "как бы мне оператора услышать?" "What is my balance?" \
    >"$work/$1.out" || fail "predict on the $1 copy exited non-zero"
}
scored_copy multi 'c["problem_type"] = "multi_label_classification"'
scored_copy warm 'c["fastintent_temperature"] = 2.5'
scored_copy margin 'c["fastintent_fallback_margin"] = 1.0'
"$python" - "$work" <<'PY' || fail "scores do not follow config.json"
import json, math, sys
work = sys.argv[1]
rows = lambda name: [json.loads(l) for l in open(f"{work}/{name}", encoding="utf-8")]
raw, multi, warm, margin = rows("raw"), rows("multi.out"), rows("warm.out"), rows("margin.out")
for r, m, w, g in zip(raw, multi, warm, margin):
    logits = {e["label"]: e["logit"] for e in r["top"]}
    assert abs(sum(e["score"] for e in r["top"]) - 1) < 1e-4, r  # softmax over all labels (top_k 100 lists every one)
    total = sum(math.exp(z) for z in logits.values())
    for e in r["top"]:
        assert abs(e["score"] - math.exp(e["logit"]) / total) < 1e-5, e
    for e in m["top"]:  # sigmoid per label, same logits
        assert abs(e["logit"] - logits[e["label"]]) < 1e-5 and abs(e["score"] - 1 / (1 + math.exp(-e["logit"]))) < 1e-5, e
    assert m["labels"] == [{"label": e["label"], "score": e["score"], "logit": e["logit"]} for e in m["top"]
                           if e["score"] >= 0.5], m
    assert m["fallback"] == (not m["labels"]), m
    warm_total = sum(math.exp(z / 2.5) for z in logits.values())
    for e in w["top"]:
        assert abs(e["score"] - math.exp(logits[e["label"]] / 2.5) / warm_total) < 1e-5, e
    assert w["label"] == r["label"] and w["score"] < r["score"], (w, r)
    assert "labels" not in r and r["fallback"] is False and g["fallback"] is True, (r, g)
PY

if [[ $failures -ne 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "predict CLI: all checks passed"
