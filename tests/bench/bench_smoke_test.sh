#!/usr/bin/env bash
# CI smoke of `fastintent bench run` on the committed tiny fixture models: tiny settings, every figure, every
# output written and well-formed (CSV header and row count, JSON parses, SVG parses as XML, markdown sections).
# Numbers are not asserted. Usage: bench_smoke_test.sh FASTINTENT FIXTURES_DIR OUT_DIR SEED_JSON [PYTHON]
set -euo pipefail
fastintent="$1" fixtures="$2" out="$3" seed="$4" python="${5:-}"
rm -rf "$out"
"$fastintent" bench run --models-dir "$fixtures" --models bert distilbert --sweep-model bert \
  --trials 2 --warmup 1 --max-length 32 --batch-sizes 1 2 --lengths 16 32 --no-peak --no-progress \
  --shapes "$seed" --output "$out" > "$out.log" 2>&1 || { cat "$out.log"; exit 1; }

fail() { echo "bench smoke: $*" >&2; cat "$out.log" >&2; exit 1; }
for f in results.csv results.json report.md figure4.svg figure5.svg figure6.svg speedups.svg; do
  [[ -s "$out/$f" ]] || fail "missing or empty $out/$f"
done
header="$(head -1 "$out/results.csv")"
[[ "$header" == figure,model,runtime,padding,batch,* ]] || fail "unexpected CSV header: $header"
# Figure 4: 2 models x 2 runtimes x 2 paddings = 8; Figure 5: 2 x 2 x 2 = 8; Figure 6: 2 x 2 = 4 (reference skipped).
rows=$(( $(wc -l < "$out/results.csv") - 1 ))
[[ "$rows" -eq 20 ]] || fail "got $rows CSV rows, expected 20"
grep -q "ort-int8-reference" "$out/report.md" || fail "the skipped reference runtime is not reported"
for section in "## Figure 4" "## Figure 5" "## Figure 6" "| scope | comparison | ours | article |"; do
  grep -qF "$section" "$out/report.md" || fail "report.md lacks '$section'"
done
if [[ -n "$python" && -x "$python" ]]; then
  "$python" - "$out" <<'PY' || fail "JSON/SVG not well-formed"
import json, sys, pathlib, xml.etree.ElementTree as ET
out = pathlib.Path(sys.argv[1])
data = json.loads((out / "results.json").read_text(encoding="utf-8"))
assert len(data["cells"]) == 20, len(data["cells"])
assert all(c["total_ms"]["count"] == 2 for c in data["cells"])
for svg in out.glob("*.svg"):
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg"), svg
PY
fi
echo "bench smoke: ok ($rows cells)"
