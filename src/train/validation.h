// The validation pass after each epoch and the targets of a batch, for single- and multi-label training
// (internal to fastintent_train; torch types).
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sequence_classifier.h"
#include "token_batches.h"

namespace fastintent::train {

// The training targets of a batch: class ids [batch] (long; unlabelled rows get 0 and are masked by the loss),
// or for multi-label a multi-hot float matrix [batch, classes].
torch::Tensor Targets(const std::vector<EncodedExample>& examples, const std::vector<std::size_t>& indices,
                      bool multi_label, std::size_t classes);

struct ValidationResult {
  double loss = 0;
  double accuracy = 0;  // single-label: accuracy; multi-label: subset accuracy (the predicted set is the true set)
  double f1_macro = 0;
  double f1_weighted = 0;                  // single-label
  double f1_micro = 0;                     // multi-label
  std::vector<double> label_thresholds;    // multi-label: chosen on these rows, one per label
  std::vector<std::vector<float>> logits;  // per example, in input order (temperature scaling)
  std::vector<int> truth;                  // single-label class ids, in input order
};

// The logits [batch, classes] of a batch of example indices: the whole model over the padded tokens, or the
// head over frozen features (frozen_features.h).
using BatchLogits = std::function<torch::Tensor(const std::vector<std::size_t>& indices)>;

// Runs the module in eval mode over `examples` (all labelled), `logits` giving each batch's. Multi-label: sigmoid
// scores, per-label thresholds that maximise each label's F1 on these rows, then the metrics at those thresholds.
ValidationResult Validate(SequenceClassifierModule& module, const std::vector<EncodedExample>& examples,
                          const BatchLogits& logits, const std::vector<std::string>& labels, std::size_t batch_size,
                          const torch::Tensor& class_weights, bool multi_label);

}  // namespace fastintent::train
