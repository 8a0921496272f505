#pragma once
// fastintent's own libtorch BERT/DistilBERT (fastintent_train, inference mode) as a study runtime,
// "libtorch-fp32". Lives in fastintent_bench_torch: only fastintent-torch links libtorch, so a study in the main
// binary reaches it as a worker process (`fastintent-torch bench-torch`, the runner protocol of worker.h).
#include "fastintent/bench/study.h"

namespace fastintent::bench {

// The checkpoint is the first of MODEL_DIR/peers/checkpoint, MODEL_DIR/../checkpoints/NAME
// (tools/bench/prepare_models.sh) and MODEL_DIR itself that holds model.safetensors; none: the runtime is
// skipped with the reason. Other runtime names throw InvalidInput.
RunnerFactory MakeTorchRunnerFactory();

}  // namespace fastintent::bench
