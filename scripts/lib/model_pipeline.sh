# Sourced by scripts/make_*_model.sh: the one train -> export -> quantize -> verify pipeline they share.
# The caller sets, before calling build_model:
#   MODEL_NAME     models/<MODEL_NAME> is the result (written to models/.work/<MODEL_NAME>, then renamed)
#   TRAIN_CSV TEST_CSV
#   SOURCE_ARGS    array: where the weights start (--base DIR, or --shape JSON --tokenizer DIR)
#   TRAIN_ARGS     array: the rest of the `fastintent train` options
#   STAMP_FILES    array: files whose content decides whether a cached model is still up to date
#   EXPORT_ARGS    array (optional): extra `fastintent export` options, e.g. --fallback-threshold 0.5
# build_model [--force] is a no-op when models/<MODEL_NAME> exists with the same stamp.

build_model() {
  local root bin out work stamp_value start
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cd "$root"
  bin="${FASTINTENT_BUILD_DIR:-$root/build}/bin"
  out="$root/models/$MODEL_NAME"
  work="$root/models/.work/$MODEL_NAME"
  local export_args=("${EXPORT_ARGS[@]+"${EXPORT_ARGS[@]}"}")
  stamp_value="$(cat "$TRAIN_CSV" "${STAMP_FILES[@]}" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1) ${TRAIN_ARGS[*]} ${export_args[*]+"${export_args[*]}"}"
  if [[ "${1:-}" != "--force" && -f "$out/.fastintent-model-stamp" && "$(cat "$out/.fastintent-model-stamp")" == "$stamp_value" ]]; then
    echo "$MODEL_NAME: up to date in models/$MODEL_NAME"
    return 0
  fi
  for tool in fastintent fastintent-torch; do
    [[ -x "$bin/$tool" ]] || { echo "$MODEL_NAME: $bin/$tool is missing; run scripts/build.sh first" >&2; return 1; }
  done

  # libtorch steps get several times slower when OpenMP/OpenBLAS threads outnumber free cores (docs/training.md);
  # the callers pass --threads themselves and keep BLAS to one thread per torch thread.
  export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
  start=$(date +%s)
  step() { printf '\n[%s %ss] %s\n' "$MODEL_NAME" "$(( $(date +%s) - start ))" "$*"; }
  rm -rf "$work"
  mkdir -p "$work"

  step "1/4 train on $TRAIN_CSV (${SOURCE_ARGS[*]})"
  "$bin/fastintent" train "${SOURCE_ARGS[@]}" --train "$TRAIN_CSV" --out "$work/checkpoint" "${TRAIN_ARGS[@]}"

  step "2/4 export: ONNX"
  "$bin/fastintent" export --checkpoint "$work/checkpoint" --out "$work/model" "${export_args[@]+"${export_args[@]}"}"

  step "3/4 quantize: INT8 with the accuracy gate on the held-out validation split"
  "$bin/fastintent" quantize --model "$work/model" --valid "$work/checkpoint/valid_split.csv" --max-f1-drop 1.0

  step "4/4 verify: fp32 and INT8 on $TEST_CSV"
  "$bin/fastintent" eval --model "$work/model" --data "$TEST_CSV" --runtime onnx --json "$work/model/eval-fp32.json" >/dev/null
  "$bin/fastintent" eval --model "$work/model" --data "$TEST_CSV" --runtime onnx-int8 --json "$work/model/eval-int8.json" \
    --markdown "$work/model/eval-int8.md"
  cp "$work/checkpoint/metrics.json" "$work/model/training-metrics.json" 2>/dev/null || true
  cp "$work/checkpoint/"*.svg "$work/model/" 2>/dev/null || true

  rm -rf "$out.old"
  [[ -d "$out" ]] && mv "$out" "$out.old"
  mv "$work/model" "$out"
  rm -rf "$out.old" "$work"
  echo "$stamp_value" > "$out/.fastintent-model-stamp"
  step "done: models/$MODEL_NAME (model.onnx, model_quantized.onnx)"
}
