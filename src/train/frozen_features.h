// Head-only training on a frozen encoder (`fastintent train --freeze-encoder`, a "linear probe"): the encoder
// runs once over every example, in eval mode and without gradients, and only what the head reads is kept — the
// mean over the real tokens (mean pooling) or the first token's vector ([CLS] pooling). Each training step then
// costs only the head, so a 12-layer encoder trains in the time of one forward pass over the data.
// Internal to fastintent_train (torch types).
#pragma once
#include <torch/torch.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/progress_bar.h"
#include "sequence_classifier.h"
#include "token_batches.h"

namespace fastintent::train {

// Stops gradients to every parameter that is not the head's (SequenceClassifierModule::IsHeadParameter), so the
// optimizer leaves the encoder as it was loaded.
void FreezeEncoder(SequenceClassifierModule& module);

class FrozenFeatures {
 public:
  // Runs the encoder over `examples` in batches of `batch_size` (`progress` advances once per batch).
  FrozenFeatures(SequenceClassifierModule& module, const std::vector<EncodedExample>& examples, std::size_t batch_size,
                 std::int64_t pad_id, checkpoint::Pooling pooling, ProgressBar& progress);

  // The head's logits for these examples. The head gets each example's feature as a one-token sequence with
  // that token real: the mean over one real token is the token itself and so is the first token, so both
  // poolings hand the head exactly the feature kept (the head's own layers — pooler, dropout, classifier — run
  // as in full training).
  torch::Tensor Logits(SequenceClassifierModule& module, const std::vector<std::size_t>& indices) const;

  std::size_t size() const { return static_cast<std::size_t>(features_.size(0)); }

 private:
  torch::Tensor features_;  // float [examples, hidden]
};

}  // namespace fastintent::train
