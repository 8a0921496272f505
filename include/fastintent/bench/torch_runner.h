#pragma once
// The PyTorch row of the article's study over fastintent's own libtorch BERT/DistilBERT (fastintent_train),
// inference mode, tokenization by fastintent_text inside the timed call. Lives in fastintent_bench_torch
// (only fastintent-torch links libtorch).
#include "fastintent/bench/sweep.h"

namespace fastintent::bench {

// Runtime "pytorch": loads MODEL_DIR/../checkpoints/<name> when it exists (prepare_models.sh layout), else
// the model directory itself when it holds model.safetensors. Other runtimes are skipped with a reason.
RunnerFactory MakeTorchRunnerFactory();

}  // namespace fastintent::bench
