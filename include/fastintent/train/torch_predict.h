#pragma once
// `fastintent eval --runtime torch`: classify texts with a checkpoint directory in libtorch.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace fastintent::train {

struct TorchPredictOptions {
  std::size_t max_length = 128;  // tokens, special tokens included
  std::size_t batch_size = 32;
  std::size_t threads = 1;  // torch intra-op threads
};

struct TorchPredictions {
  std::vector<std::string> labels;  // id2label of the checkpoint
  std::vector<int> class_ids;       // argmax per text
  std::vector<float> top_scores;    // softmax probability of the argmax
};

// The checkpoint directory must hold config.json (with id2label), model.safetensors and tokenizer files.
// Throws fastintent::Error subclasses with the path and the reason.
TorchPredictions PredictWithTorch(const std::filesystem::path& model_dir, const std::vector<std::string>& texts,
                                  const TorchPredictOptions& options = {});

}  // namespace fastintent::train
