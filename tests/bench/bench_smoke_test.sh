#!/usr/bin/env bash
# CI smoke of `fastintent bench study` on the committed tiny fixture models: the article-figures preset with tiny
# settings, fastintent's engine in process and the same engine in a worker process (the runner protocol every
# peer speaks), then a grid with model-only timing. Checks that every output is written and well-formed (CSV
# machine lines, header and row count; JSON parses; SVG parses as XML; markdown sections). Timings are never
# asserted. Usage: bench_smoke_test.sh FASTINTENT FIXTURES_DIR OUT_DIR SEED_JSON [PYTHON]
set -euo pipefail
fastintent="$1" fixtures="$2" out="$3" seed="$4" python="${5:-}"
rm -rf "$out" "$out.peers.json"
mkdir -p "$(dirname "$out")"
cat > "$out.peers.json" <<JSON
{"workers": [{"command": ["$fastintent", "bench", "worker"],
              "runtimes": [{"name": "engine-in-worker-fp32", "load_as": "fastintent-fp32"}]}]}
JSON
fail() { echo "bench smoke: $*" >&2; cat "$out.log" >&2; exit 1; }
"$fastintent" bench study --preset article-figures --models-dir "$fixtures" --models bert distilbert \
  --sweep-model bert --runtimes fastintent-fp32 fastintent-int8 engine-in-worker-fp32 --peers "$out.peers.json" \
  --rounds 2 --warmup 1 --min-calls 2 --max-calls 2 --max-length 32 --batch-sizes 1 2 --lengths 16 32 \
  --no-peak --no-progress --shapes "$seed" --output "$out" > "$out.log" 2>&1 || fail "study failed"

for f in results.csv results.json report.md figure4.svg figure5.svg figure6.svg; do
  [[ -s "$out/$f" ]] || fail "missing or empty $out/$f"
done
grep -q '^# simd: ' "$out/results.csv" || fail "results.csv does not name the SIMD flags"
grep -q '^# load average before: ' "$out/results.csv" || fail "results.csv does not give the load average"
header="$(grep -v -m1 '^#' "$out/results.csv")"  # not a pipe into head: SIGPIPE under pipefail
[[ "$header" == group,model,runtime,batch,* ]] || fail "unexpected CSV header: $header"
# figure4: 2 models x 2 paddings; figure5: 2 batches x 2 paddings; figure6: 2 lengths; x 3 runtimes.
rows=$(( $(grep -vc '^#' "$out/results.csv") - 1 ))
[[ "$rows" -eq 30 ]] || fail "got $rows CSV rows, expected 30"
grep -q "engine-in-worker-fp32" "$out/report.md" || fail "the worker runtime is not in the report"
for section in "## figure4" "## figure5" "## figure6" "## Runtimes" "| scope | comparison | ours | article |"; do
  grep -qF "$section" "$out/report.md" || fail "report.md lacks '$section'"
done

"$fastintent" bench study --models-dir "$fixtures" --models bert --runtimes fastintent-int8 fastintent-fp32 \
  --batches 1 4 --inputs phrase 16 --timing model-only --rounds 2 --min-calls 2 --max-calls 2 --no-peak \
  --no-progress --output "$out-grid" > "$out.log" 2>&1 || fail "grid study failed"
[[ -s "$out-grid/grid.svg" ]] || fail "missing $out-grid/grid.svg"
grep -q "model-only" "$out-grid/report.md" || fail "the grid report does not say model-only"

if [[ -n "$python" && -x "$python" ]]; then
  "$python" - "$out" "$out-grid" <<'PY' || fail "JSON/SVG not well-formed"
import json, sys, pathlib, xml.etree.ElementTree as ET
for directory in map(pathlib.Path, sys.argv[1:]):
    data = json.loads((directory / "results.json").read_text(encoding="utf-8"))
    assert data["results"], directory
    assert all(len(r["samples_ms"]) == 4 for r in data["results"])  # 2 rounds x 2 calls
    assert data["machine"]["simd"] is not None
    for svg in directory.glob("*.svg"):
        assert ET.parse(svg).getroot().tag.endswith("svg"), svg
PY
fi
echo "bench smoke: ok ($rows results)"
