#pragma once
// Turning one row of logits into probabilities, the best labels and the operator hand-off decision, as the
// model directory says (problem type, temperature, fallback policy). Pure functions, no ONNX Runtime.
#include <cstddef>
#include <string>
#include <vector>

#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/runtime/classifier.h"

namespace fastintent::runtime {

struct ScoringPolicy {
  bool multi_label = false;              // sigmoid per label instead of softmax over labels
  double temperature = 1.0;              // logits are divided by it first
  std::vector<double> label_thresholds;  // multi-label: one per label (empty: 0.5 each)
  double fallback_threshold = 0;         // top score under it -> fallback
  double fallback_margin = 0;            // top two scores closer than it -> fallback
};

// The model directory's scoring (problem type; its temperature unless options.calibrated is false; its fallback
// policy, the threshold overridden by options.fallback_threshold) for both engines, also written into `info`.
ScoringPolicy ScoringOf(const checkpoint::ModelDirectory& model, const ClassifierOptions& options, ModelInfo& info);

// Numerically stable softmax (subtracts the row maximum first).
std::vector<float> Softmax(const std::vector<float>& logits);

// The top_k best labels of one row, best first; ties keep the lower class id first. top_k is clamped to
// [1, labels.size()]. labels.size() must equal logits.size() (checked by the caller at load time).
Prediction MakePrediction(const std::vector<float>& logits, const std::vector<std::string>& labels, std::size_t top_k,
                          bool truncated, const ScoringPolicy& policy = {});

}  // namespace fastintent::runtime
