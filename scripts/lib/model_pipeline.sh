# Sourced by scripts/make_*_model.sh: the one train -> export -> quantize -> verify pipeline they share, and the
# n-gram baseline's train -> verify (build_ngram_model). The caller sets, before calling build_model:
#   MODEL_NAME     models/<MODEL_NAME> is the result (written to models/.work/<MODEL_NAME>, then renamed)
#   TRAIN_CSV TEST_CSV
#   SOURCE_ARGS    array: where the weights start (--base DIR, or --shape JSON --tokenizer DIR)
#   TRAIN_ARGS     array: the rest of the `fastintent train` options
#   STAMP_FILES    array: files whose content decides whether a cached model is still up to date
#   EXPORT_ARGS    array (optional): extra `fastintent export` options, e.g. --fallback-threshold 0.5
# build_model [--force] is a no-op when models/<MODEL_NAME> exists with the same stamp.

# True when models/<name> holds a model made from the same inputs (its stamp file equals $2).
model_up_to_date() {  # out_dir stamp_value [--force]
  [[ "${3:-}" != "--force" && -f "$1/.fastintent-model-stamp" && "$(cat "$1/.fastintent-model-stamp")" == "$2" ]]
}

# Replaces out_dir with the finished work_dir in one rename, then writes the stamp.
install_model() {  # work_model_dir out_dir stamp_value
  rm -rf "$2.old"
  [[ -d "$2" ]] && mv "$2" "$2.old"
  mv "$1" "$2"
  rm -rf "$2.old"
  echo "$3" > "$2/.fastintent-model-stamp"
}

# The n-gram baseline of the same data (TF-IDF + liblinear, seconds to train), served beside the BERT by
# scripts/run.sh. build_ngram_model NAME [--force]: models/NAME from TRAIN_CSV, verified on TEST_CSV.
build_ngram_model() {
  local name="$1" root bin out work stamp_value
  shift
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cd "$root"
  bin="${FASTINTENT_BUILD_DIR:-$root/build}/bin"
  out="$root/models/$name"
  work="$root/models/.work/$name"
  stamp_value="$(cat "$TRAIN_CSV" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1) ngram"
  if model_up_to_date "$out" "$stamp_value" "${1:-}"; then
    echo "$name: up to date in models/$name"
    return 0
  fi
  rm -rf "$work"
  mkdir -p "$work"
  printf '\n[%s] train the n-gram baseline on %s, verify on %s\n' "$name" "$TRAIN_CSV" "$TEST_CSV"
  "$bin/fastintent" train --arch ngram --train "$TRAIN_CSV" --out "$work/model"
  "$bin/fastintent" eval --model "$work/model" --data "$TEST_CSV" --json "$work/model/eval.json" \
    --markdown "$work/model/eval.md"
  install_model "$work/model" "$out" "$stamp_value"
  rm -rf "$work"
}

build_model() {
  local root bin out work stamp_value start
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cd "$root"
  bin="${FASTINTENT_BUILD_DIR:-$root/build}/bin"
  out="$root/models/$MODEL_NAME"
  work="$root/models/.work/$MODEL_NAME"
  local export_args=("${EXPORT_ARGS[@]+"${EXPORT_ARGS[@]}"}")
  stamp_value="$(cat "$TRAIN_CSV" "${STAMP_FILES[@]}" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1) ${TRAIN_ARGS[*]} ${export_args[*]+"${export_args[*]}"}"
  if model_up_to_date "$out" "$stamp_value" "${1:-}"; then
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

  install_model "$work/model" "$out" "$stamp_value"
  rm -rf "$work"
  step "done: models/$MODEL_NAME (model.onnx, model_quantized.onnx)"
}
