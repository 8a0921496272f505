#!/usr/bin/env bash
# Integration: `fastintent eval` on an n-gram model trained by `fastintent train --arch ngram` from a tiny data
# set. Checks the report numbers against the predictions being perfect on the training texts, the JSON fields,
# the fallback sweep, and the exit codes for bad data (1) and bad flags (2).
# Then the ONNX runtimes (fp32 and int8) on the committed tiny runtime fixture: the plumbing, not the quality
# (the fixture is a random tiny BERT).
# Usage: eval_cli_test.sh BIN_DIR PYTHON WORK_DIR ONNX_FIXTURE_DIR
set -euo pipefail
bin="$1/fastintent"
python="$2"
work="$3"
onnx_model="$4"
rm -rf "$work" && mkdir -p "$work"

cat > "$work/train.csv" <<'CSV'
text,category
инет не пашет,internet_down
интернет не работает третий день,internet_down
нет интернета дома,internet_down
хочу сменить тариф,change_tariff
как поменять тариф на дешевле,change_tariff
смена тарифа,change_tariff
какой у меня баланс,balance
сколько денег на счету,balance
проверить баланс,balance
CSV

"$bin" train --arch ngram --train "$work/train.csv" --out "$work/model" >/dev/null
"$bin" eval --model "$work/model" --data "$work/train.csv" --fallback-sweep --json "$work/eval.json" \
  --markdown "$work/eval.md" > "$work/stdout.md"
cmp "$work/stdout.md" "$work/eval.md"
grep -q "| 9 | 1.0000 | 1.0000 | 1.0000 |" "$work/eval.md"
grep -q "Fallback to an operator" "$work/eval.md"
"$python" - "$work/eval.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert r["context"]["runtime"] == "ngram", r["context"]
assert r["count"] == 9 and r["accuracy"] == 1.0 and r["f1_macro"] == 1.0, r
assert r["labels"] == ["balance", "change_tariff", "internet_down"], r["labels"]
assert r["confusion"] == [[3, 0, 0], [0, 3, 0], [0, 0, 3]], r["confusion"]
assert len(r["fallback"]) == 12 and r["fallback"][0]["fallback_rate"] == 0.0, r["fallback"]
assert r["fallback"][-1]["threshold"] == 0.99
PY

# Calibration, the hand-off policy and the error file on a validation set with mistakes.
cat > "$work/valid.csv" <<'CSV'
text,category
инет не работает,internet_down
нет интернета,internet_down
поменять тариф,change_tariff
тариф подешевле,change_tariff
баланс,balance
денег на счету,balance
тариф не работает,internet_down
сколько стоит смена тарифа,balance
CSV
cp -r "$work/model" "$work/calibrated"
"$bin" eval --model "$work/calibrated" --data "$work/valid.csv" --calibrate --json "$work/cal.json" > "$work/cal.md"
grep -q "Calibration: temperature" "$work/cal.md" || { cat "$work/cal.md"; exit 1; }
"$bin" eval --model "$work/calibrated" --data "$work/valid.csv" --fallback-target-precision 1.0 \
  --json "$work/policy.json" > "$work/policy.md"
grep -q "threshold and margin (written)" "$work/policy.md" || { cat "$work/policy.md"; exit 1; }
# the next evaluation applies the written policy
"$bin" eval --model "$work/calibrated" --data "$work/valid.csv" --errors "$work/errors.jsonl" \
  --predictions "$work/all.jsonl" --json "$work/after.json" > /dev/null
"$python" - "$work" <<'PY'
import json, math, sys
work = sys.argv[1]
config = json.load(open(f"{work}/calibrated/config.json"))
plain = json.load(open(f"{work}/model/config.json"))
t = config["fastintent_temperature"]
assert 0.05 <= t <= 20 and "fastintent_temperature" not in plain, (t, plain.keys())
assert "Calibration: temperature %.4f" % t in open(f"{work}/cal.md").read()
# the policy written reaches precision 1 on the data: every kept answer right, the errors handed over
assert 0 <= config["fallback_threshold"] <= 1 and 0 <= config["fastintent_fallback_margin"] <= 1, config
after = json.load(open(f"{work}/after.json"))
rows = [json.loads(l) for l in open(f"{work}/all.jsonl", encoding="utf-8")]
assert len(rows) == 8 and {"text", "gold", "predicted", "score", "top", "fallback", "correct"} <= set(rows[0]), rows[0]
kept = [r for r in rows if not r["fallback"]]
assert kept and all(r["correct"] for r in kept), rows
errors = [json.loads(l) for l in open(f"{work}/errors.jsonl", encoding="utf-8")]
assert errors == [r for r in rows if r["fallback"] or not r["correct"]], (errors, rows)
assert any(not r["correct"] for r in rows), "the set has mistakes, or the check proves nothing"
assert after["accuracy"] == json.load(open(f"{work}/cal.json"))["accuracy"]  # temperature changes no decision
PY

# A multi-label n-gram model: one logistic regression per label, scored with a sigmoid each, thresholds chosen
# on a held-out split; eval reports the multi-label metrics, predict every label over its threshold.
{
  echo "text,category"
  for i in 1 2 3 4 5 6; do
    echo "инет не пашет $i,internet_down"
    echo "хочу сменить тариф $i,change_tariff"
    echo "какой у меня баланс $i,balance"
    echo "инет не пашет и хочу сменить тариф $i,internet_down|change_tariff"
    echo "какой у меня баланс и хочу сменить тариф $i,balance|change_tariff"
  done
} > "$work/multi.csv"
"$bin" train --arch ngram --multi-label --valid-fraction 0.2 --train "$work/multi.csv" --out "$work/multi" > /dev/null
"$bin" eval --model "$work/multi" --data "$work/multi.csv" --json "$work/multi.json" > "$work/multi.md"
grep -q "Evaluation (multi-label)" "$work/multi.md" || { cat "$work/multi.md"; exit 1; }
"$bin" predict --model "$work/multi" --raw-scores "инет не пашет и хочу сменить тариф 1" > "$work/multi.out"
"$python" - "$work" <<'PY'
import json, math, sys
work = sys.argv[1]
config = json.load(open(f"{work}/multi/config.json"))
assert config["problem_type"] == "multi_label_classification", config.keys()
assert len(config["fastintent_label_thresholds"]) == 3, config
r = json.load(open(f"{work}/multi.json"))
assert r["count"] == 30 and r["micro_f1"] > 0.9, r  # the training texts themselves
p = json.loads(open(f"{work}/multi.out", encoding="utf-8").read())
for e in p["top"]:
    assert abs(e["score"] - 1 / (1 + math.exp(-e["logit"]))) < 1e-5, e  # a sigmoid per label, not a softmax
assert {e["label"] for e in p["labels"]} == {"internet_down", "change_tariff"}, p
PY

# Bad data: a clear message and exit code 1.
printf 'sentence,intent\nhi,greet\n' > "$work/bad.csv"
set +e
"$bin" eval --model "$work/model" --data "$work/bad.csv" 2> "$work/err.txt"
code=$?
set -e
[[ $code -eq 1 ]] || { echo "bad data: got exit code $code, expected 1"; exit 1; }
grep -q 'unknown column "text"' "$work/err.txt" || { cat "$work/err.txt"; exit 1; }

# Bad flags: exit code 2.
set +e
"$bin" eval --model "$work/model" --data "$work/train.csv" --runtime tensorflow 2>/dev/null
code=$?
set -e
[[ $code -eq 2 ]] || { echo "bad flag: got exit code $code, expected 2"; exit 1; }
# ONNX runtimes: one data label the model lacks is reported, not fatal.
label=$("$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['id2label']['0'])" "$onnx_model/config.json")
printf 'text,category\nhello there,%s\nmy card is lost,%s\nhow do I pay,not_a_model_label\n' "$label" "$label" > "$work/onnx.csv"
for runtime in onnx onnx-int8; do
  "$bin" eval --model "$onnx_model" --data "$work/onnx.csv" --runtime "$runtime" --json "$work/$runtime.json" > /dev/null
  "$python" - "$work/$runtime.json" "$runtime" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert r["context"]["runtime"] == sys.argv[2], r["context"]
assert r["count"] == 3 and r["examples_with_unknown_label"] == 1, r
assert r["labels"][-1] == "not_a_model_label" and len(r["labels"]) == len(r["confusion"]), r["labels"]
PY
done
echo "eval CLI: ok"
