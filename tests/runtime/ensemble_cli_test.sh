#!/usr/bin/env bash
# Integration: `fastintent ensemble` end to end. Two n-gram models trained by `fastintent train --arch ngram` on
# different texts of data/telecom-ru; the ensemble built with --valid (weights chosen on a validation file) and
# with --weights; `fastintent eval` and `predict` run on the result; the refusals (bad weights, one model,
# differing labels, nested ensembles, quantize/export of an ensemble) exit 1 and leave --out untouched; `serve`
# answers what `predict` answers.
# Usage: ensemble_cli_test.sh FASTINTENT PYTHON DATA_ROOT WORK_DIR ONNX_FIXTURE_DIR
set -euo pipefail
bin="$1"
python="$2"
data_root="$3"
work="$4"
onnx_model="$5"
rm -rf "$work" && mkdir -p "$work"

# Member A: the first 15 texts of each label; member B: the next 15; valid: 10 of each label from test.csv.
# Member C lacks one label.
"$python" - "$data_root/telecom-ru" "$work" <<'PY'
import csv, sys, collections
root, work = sys.argv[1], sys.argv[2]
def take(path, skip, count, drop=None):
    seen = collections.Counter()
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            label = row["category"]
            if label == drop:
                continue
            if skip <= seen[label] < skip + count:
                rows.append(row)
            seen[label] += 1
    return rows
def write(name, rows):
    with open(f"{work}/{name}", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["text", "category"])
        w.writeheader()
        w.writerows(rows)
train = f"{root}/train.csv"
write("a.csv", take(train, 0, 15))
write("b.csv", take(train, 15, 15))
first = sorted({r["category"] for r in take(train, 0, 1)})[0]
write("c.csv", take(train, 0, 15, drop=first))
write("valid.csv", take(f"{root}/test.csv", 0, 10))
write("d.csv", take(train, 30, 15))
open(f"{work}/dropped_label", "w").write(first)
PY
"$bin" train --arch ngram --train "$work/a.csv" --out "$work/a" >/dev/null
"$bin" train --arch ngram --train "$work/b.csv" --out "$work/b" --ngram-c 0.5 >/dev/null
"$bin" train --arch ngram --train "$work/c.csv" --out "$work/c" >/dev/null
"$bin" train --arch ngram --train "$work/d.csv" --out "$work/d" >/dev/null

fail() { echo "FAIL: $*" >&2; exit 1; }
# Runs a command that must exit with code $1 and print $2 on stderr.
expect_refusal() {
  local code="$1" message="$2"
  shift 2
  set +e
  "$@" > "$work/refusal.out" 2> "$work/refusal.err"
  local got=$?
  set -e
  [ "$got" -eq "$code" ] || { cat "$work/refusal.err"; fail "exit $got, expected $code: $*"; }
  grep -qF -- "$message" "$work/refusal.err" || { cat "$work/refusal.err"; fail "no '$message' in the error of: $*"; }
}

# --valid: the grid's best F1 macro, printed beside each member alone.
"$bin" ensemble --model "$work/a" --model "$work/b" --valid "$work/valid.csv" --out "$work/chosen" > "$work/chosen.md"
cat "$work/chosen.md"
grep -q "11 grid points" "$work/chosen.md" || fail "2 members: 11 grid points"
grep -qF "| $work/a | alone |" "$work/chosen.md" || fail "member a's row"
grep -qF "| $work/b | alone |" "$work/chosen.md" || fail "member b's row"
"$python" - "$work/chosen" "$work/chosen.md" <<'PY'
import json, os, re, sys
out, report = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
config = json.load(open(f"{out}/config.json", encoding="utf-8"))
assert config["model_type"] == "fastintent-ensemble", config
members = config["fastintent_members"]
assert [m["path"] for m in members] == ["0_a", "1_b"], members
weights = [m["weight"] for m in members]
assert abs(sum(weights) - 1) < 1e-9 and all(abs(w * 10 - round(w * 10)) < 1e-9 for w in weights), weights
for m in members:
    assert os.path.isfile(f"{out}/{m['path']}/weights.bin"), m
    assert not os.path.isabs(m["path"]), m
rows = dict((name, (float(acc), float(f1))) for name, acc, f1 in
            re.findall(r"^\| (\S+) \| [^|]+ \| ([\d.]+) \| ([\d.]+) \|$", report, re.M))
members_f1 = [f1 for name, (acc, f1) in rows.items() if name != "ensemble"]
assert len(members_f1) == 2, rows
# The grid holds each member alone (weights 1/0), so the chosen mixture is at least as good as either.
assert rows["ensemble"][1] >= max(members_f1), rows
open(sys.argv[2] + ".f1", "w").write("%.2f" % rows["ensemble"][1])
PY

# eval on the ensemble reports the F1 macro the search printed for the chosen weights.
"$bin" eval --model "$work/chosen" --data "$work/valid.csv" --json "$work/eval.json" > "$work/eval.md"
"$python" - "$work/eval.json" "$work/chosen.md.f1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert r["context"]["runtime"] == "ensemble", r["context"]
assert "%.2f" % (100 * r["f1_macro"]) == open(sys.argv[2]).read(), (r["f1_macro"], open(sys.argv[2]).read())
PY
expect_refusal 1 "is an ensemble" "$bin" eval --model "$work/chosen" --data "$work/valid.csv" --runtime ngram

# --weights: normalised as given.
"$bin" ensemble --model "$work/a" --model "$work/b" --weights 7,3 --out "$work/given" > "$work/given.out"
grep -q "weights 0.70,0.30" "$work/given.out" || { cat "$work/given.out"; fail "--weights 7,3"; }
"$python" - "$work/given/config.json" <<'PY'
import json, sys
members = json.load(open(sys.argv[1], encoding="utf-8"))["fastintent_members"]
assert [round(m["weight"], 9) for m in members] == [0.7, 0.3], members
PY
"$bin" eval --model "$work/given" --data "$work/valid.csv" | grep -q "runtime: ensemble" || fail "eval --weights ensemble"
# Default: equal weights.
"$bin" ensemble --model "$work/a" --model "$work/b" --out "$work/equal" | grep -q "weights 0.50,0.50" || fail "equal"
"$bin" predict --model "$work/given" "хочу сменить тариф" | "$python" -c '
import json, sys
line = json.loads(sys.stdin.readline())
assert line["label"] and 0 < line["score"] <= 1 and line["truncated"] is False, line'

# serve: the batcher's path (Prepare + ClassifyPrepared of composite texts) answers what predict answers.
texts=("хочу сменить тариф" "инет не работает с утра" "позовите оператора")
"$bin" predict --model "$work/given" --top-k 2 "${texts[@]}" > "$work/predicted.jsonl"
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --model "ens=$work/given" --port "$port" --inline-when-idle false > "$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
"$python" - "$port" "$work/predicted.jsonl" "${texts[@]}" <<'PY' || { cat "$work/serve.log"; fail "serve"; }
import json, sys, time, urllib.request
port, expected_file, texts = sys.argv[1], sys.argv[2], sys.argv[3:]
base = f"http://127.0.0.1:{port}"
for _ in range(300):
    try:
        if urllib.request.urlopen(base + "/ready", timeout=1).status == 200:
            break
    except OSError:
        time.sleep(0.1)
else:
    raise SystemExit("the server did not become ready")
request = urllib.request.Request(base + "/v1/classify", json.dumps({"texts": texts, "top_k": 2}).encode(),
                                 {"Content-Type": "application/json"})
answer = json.load(urllib.request.urlopen(request, timeout=10))
expected = [json.loads(line) for line in open(expected_file, encoding="utf-8")]
assert answer["model"] == "ens", answer
for got, want in zip(answer["results"], expected, strict=True):
    assert got["label"] == want["label"], (got, want)
    assert abs(got["score"] - want["score"]) < 1e-6, (got, want)
    assert [e["label"] for e in got["top"]] == [e["label"] for e in want["top"]], (got, want)
PY
kill "$server" && wait "$server" 2>/dev/null || true
trap - EXIT

# Three members: the grid covers every combination in steps of 0.1 (66 points).
"$bin" ensemble --model "$work/a" --model "$work/b" --model "$work/d" --valid "$work/valid.csv" --out "$work/three" \
  > "$work/three.md"
grep -q "66 grid points" "$work/three.md" || { cat "$work/three.md"; fail "3 members: 66 grid points"; }
"$bin" eval --model "$work/three" --data "$work/valid.csv" | grep -q "runtime: ensemble" || fail "eval of 3 members"

# An ONNX member (the committed tiny BERT) with an n-gram member over its labels: eval fp32 and INT8.
"$python" - "$onnx_model/config.json" "$work/bert_labels.csv" <<'PY'
import csv, json, sys
labels = json.load(open(sys.argv[1], encoding="utf-8"))["id2label"].values()
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["text", "category"])
    for label in labels:
        for suffix in ("", " please", " now"):
            w.writerow([label.replace("_", " ") + suffix, label])
PY
"$bin" train --arch ngram --train "$work/bert_labels.csv" --out "$work/bert_ngram" >/dev/null
"$bin" ensemble --model "$onnx_model" --model "$work/bert_ngram" --valid "$work/bert_labels.csv" --out "$work/mixed" \
  > /dev/null
"$bin" eval --model "$work/mixed" --data "$work/bert_labels.csv" | grep -q "runtime: ensemble$" || fail "onnx fp32"
"$bin" eval --model "$work/mixed" --data "$work/bert_labels.csv" --runtime onnx-int8 --json "$work/int8.json" >/dev/null
grep -q '"runtime": "ensemble-int8"' "$work/int8.json" || fail "onnx-int8 on an ensemble"

# Refusals: exit 1, a message naming the problem, --out untouched.
cp "$work/given/config.json" "$work/given.config.before"
expect_refusal 1 "--weights: got 3 weights for 2 models" \
  "$bin" ensemble --model "$work/a" --model "$work/b" --weights 1,2,3 --out "$work/given"
expect_refusal 1 "--weights: weight 0 is -1" \
  "$bin" ensemble --model "$work/a" --model "$work/b" --weights -1,2 --out "$work/given"
expect_refusal 1 "--weights: the weights sum to 0" \
  "$bin" ensemble --model "$work/a" --model "$work/b" --weights 0,0 --out "$work/given"
expect_refusal 1 "expected at least 2" "$bin" ensemble --model "$work/a" --out "$work/given"
expect_refusal 1 "\"$(cat "$work/dropped_label")\" is in $work/a but not in $work/c" \
  "$bin" ensemble --model "$work/a" --model "$work/c" --out "$work/given"
expect_refusal 1 "is itself an ensemble" "$bin" ensemble --model "$work/chosen" --model "$work/b" --out "$work/given"
expect_refusal 2 "excludes" \
  "$bin" ensemble --model "$work/a" --model "$work/b" --weights 1,1 --valid "$work/valid.csv" --out "$work/given"
cmp "$work/given/config.json" "$work/given.config.before" || fail "a refused build changed --out"

# export / quantize do not apply to an ensemble (export refuses it as it refuses an n-gram directory).
expect_refusal 1 "has no model.onnx of its own" "$bin" quantize --model "$work/chosen" --no-gate
expect_refusal 1 "no model.safetensors" "$bin" export --checkpoint "$work/chosen" --out "$work/exported"
[ ! -e "$work/exported" ] || fail "export wrote something"
echo "ensemble CLI: ok"
