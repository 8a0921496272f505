#pragma once
// The inside of TorchClassifier, shared by the files of fastintent_train (torch types).
#include <memory>

#include "fastintent/train/torch_classifier.h"
#include "sequence_classifier.h"

namespace fastintent::train {

struct TorchClassifier::Impl {
  checkpoint::ModelConfig config;
  std::shared_ptr<SequenceClassifierModule> module;
};

// TokenBatch -> int64 tensors [batch, sequence]; throws InvalidInput for inconsistent sizes.
EncoderInputs ToEncoderInputs(const TokenBatch& batch);

// Parameter values as safetensors tensors (F32), keyed by their transformers names.
checkpoint::TensorMap ParametersToTensorMap(torch::nn::Module& module);

}  // namespace fastintent::train
