#!/bin/sh
# End to end through the CLI: export a tiny transformers checkpoint, quantize it with the accuracy gate,
# check exit codes and that a refused or failed run leaves the model directory as it was.
# Usage: cli_export_quantize.sh FASTINTENT_BINARY CHECKPOINT_DIR WORK_DIR
set -eu
fastintent="$1"; checkpoint="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$fastintent" export --checkpoint "$checkpoint" --out "$work/model" >/dev/null
for f in model.onnx config.json tokenizer.json vocab.txt; do [ -f "$work/model/$f" ] || fail "export did not write $f"; done

"$fastintent" quantize --model "$work/model" >/dev/null
[ -f "$work/model/model_quantized.onnx" ] || fail "quantize did not write model_quantized.onnx"

# Gate with labels the model cannot know: passes only because --max-f1-drop 100 accepts anything.
printf 'text,label\nhello,balance\nmy tariff,tariff\n' > "$work/valid.csv"
"$fastintent" quantize --model "$work/model" --valid "$work/valid.csv" --max-f1-drop 100 >"$work/gate.txt"
grep -q "gate on 2 examples" "$work/gate.txt" || fail "gate summary missing: $(cat "$work/gate.txt")"

# Usage errors exit 2; a label outside id2label exits 1 and writes nothing new.
set +e
"$fastintent" quantize --model "$work/model" --weight-type s4 >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --weight-type should exit 2"
cp "$work/model/model_quantized.onnx" "$work/before.onnx"
printf 'text,label\nhello,no_such_intent\n' > "$work/bad.csv"
"$fastintent" quantize --model "$work/model" --valid "$work/bad.csv" >/dev/null 2>"$work/err.txt"; [ $? -eq 1 ] || fail "unknown label should exit 1"
grep -q "no_such_intent" "$work/err.txt" || fail "error should name the label: $(cat "$work/err.txt")"
cmp -s "$work/before.onnx" "$work/model/model_quantized.onnx" || fail "a failed quantize changed model_quantized.onnx"
"$fastintent" export --checkpoint "$work/absent" --out "$work/model" >/dev/null 2>&1; [ $? -eq 1 ] || fail "missing checkpoint should exit 1"
[ -f "$work/model/model.onnx" ] || fail "a failed export removed the existing model directory"
"$fastintent" export --checkpoint "$checkpoint" --out "$work/fallback" --fallback-threshold 1.5 >/dev/null 2>&1
[ $? -eq 2 ] || fail "--fallback-threshold 1.5 should exit 2"
set -e
"$fastintent" export --checkpoint "$checkpoint" --out "$work/fallback" --fallback-threshold 0.4 >/dev/null
python3 -c "import json, sys; c = json.load(open(sys.argv[1])); assert c['fallback_threshold'] == 0.4, c; assert 'id2label' in c" \
  "$work/fallback/config.json" || fail "export --fallback-threshold 0.4 did not write it into config.json"
"$fastintent" predict --model "$work/fallback" "hello" >/dev/null || fail "the exported directory with a threshold does not load"
ls -a "$work" | grep -q "tmp" && fail "staging left behind: $(ls -a "$work")"
echo "ok"
