#include "frozen_features.h"

#include "torch_classifier_impl.h"

namespace fastintent::train {

void FreezeEncoder(SequenceClassifierModule& module) {
  for (auto& item : module.named_parameters(/*recurse=*/true)) {
    if (!module.IsHeadParameter(item.key())) item.value().set_requires_grad(false);
  }
}

FrozenFeatures::FrozenFeatures(SequenceClassifierModule& module, const std::vector<EncodedExample>& examples,
                               std::size_t batch_size, std::int64_t pad_id, checkpoint::Pooling pooling,
                               ProgressBar& progress) {
  torch::NoGradGuard no_grad;
  module.eval();
  const auto batches = MakeBatches(examples, batch_size, nullptr);
  std::vector<torch::Tensor> rows(examples.size());
  for (const auto& indices : batches) {
    const auto inputs = ToEncoderInputs(PadBatch(examples, indices, pad_id));
    const auto hidden = module.Encode(inputs);
    const auto pooled =
        pooling == checkpoint::Pooling::kMean ? MeanPool(hidden, inputs.attention_mask) : hidden.select(1, 0);
    for (std::size_t i = 0; i < indices.size(); ++i) rows[indices[i]] = pooled[static_cast<std::int64_t>(i)];
    progress.Advance();
  }
  features_ = examples.empty() ? torch::empty({0, 0}) : torch::stack(rows).contiguous();
}

torch::Tensor FrozenFeatures::Logits(SequenceClassifierModule& module, const std::vector<std::size_t>& indices) const {
  std::vector<std::int64_t> rows(indices.begin(), indices.end());
  const auto picked = features_.index_select(0, torch::tensor(rows, torch::kLong));
  const auto one_token = torch::ones({picked.size(0), 1}, torch::kLong);
  return module.Classify(picked.unsqueeze(1), one_token);
}

}  // namespace fastintent::train
