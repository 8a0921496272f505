#include "scoring.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fastintent::runtime {

std::vector<float> Softmax(const std::vector<float>& logits) {
  std::vector<float> out(logits.size());
  if (logits.empty()) return out;
  const float max = *std::max_element(logits.begin(), logits.end());
  double sum = 0.0;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    out[i] = std::exp(logits[i] - max);
    sum += out[i];
  }
  for (float& p : out) p = static_cast<float>(p / sum);
  return out;
}

Prediction MakePrediction(const std::vector<float>& logits, const std::vector<std::string>& labels, std::size_t top_k,
                          bool truncated) {
  Prediction prediction;
  prediction.truncated = truncated;
  if (logits.empty()) return prediction;
  const std::vector<float> probabilities = Softmax(logits);
  const std::size_t k = std::clamp<std::size_t>(top_k, 1, probabilities.size());
  std::vector<std::size_t> order(probabilities.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](std::size_t a, std::size_t b) {
                      if (probabilities[a] != probabilities[b]) return probabilities[a] > probabilities[b];
                      return a < b;
                    });
  prediction.top.reserve(k);
  for (std::size_t i = 0; i < k; ++i) {
    prediction.top.push_back({labels.at(order[i]), probabilities[order[i]]});
  }
  prediction.label = prediction.top.front().label;
  prediction.score = prediction.top.front().score;
  return prediction;
}

}  // namespace fastintent::runtime
