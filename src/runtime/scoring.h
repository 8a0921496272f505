#pragma once
// Turning one row of logits into probabilities and the best labels. Pure functions, no ONNX Runtime.
#include <cstddef>
#include <string>
#include <vector>

#include "fastintent/runtime/classifier.h"

namespace fastintent::runtime {

// Numerically stable softmax (subtracts the row maximum first).
std::vector<float> Softmax(const std::vector<float>& logits);

// The top_k best labels of one row, best first; ties keep the lower class id first. top_k is clamped to
// [1, labels.size()]. labels.size() must equal logits.size() (checked by the caller at load time).
Prediction MakePrediction(const std::vector<float>& logits, const std::vector<std::string>& labels, std::size_t top_k,
                          bool truncated);

}  // namespace fastintent::runtime
