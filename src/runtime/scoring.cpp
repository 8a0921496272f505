#include "scoring.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "fastintent/data/calibration.h"

namespace fastintent::runtime {

ScoringPolicy ScoringOf(const checkpoint::ModelDirectory& model, const ClassifierOptions& options, ModelInfo& info) {
  ScoringPolicy policy;
  policy.multi_label = model.multi_label;
  if (options.calibrated && model.temperature) policy.temperature = *model.temperature;
  policy.label_thresholds = model.label_thresholds;
  info.fallback_threshold = options.fallback_threshold ? options.fallback_threshold : model.fallback_threshold;
  info.fallback_margin = model.fallback_margin;
  info.multi_label = model.multi_label;
  if (options.calibrated) info.temperature = model.temperature;
  policy.fallback_threshold = info.fallback_threshold.value_or(0.0);
  policy.fallback_margin = info.fallback_margin.value_or(0.0);
  return policy;
}

std::vector<float> Softmax(const std::vector<float>& logits) { return data::SoftmaxWithTemperature(logits, 1.0); }

Prediction MakePrediction(const std::vector<float>& logits, const std::vector<std::string>& labels, std::size_t top_k,
                          bool truncated, const ScoringPolicy& policy) {
  Prediction prediction;
  prediction.truncated = truncated;
  if (logits.empty()) return prediction;
  std::vector<float> probabilities;
  if (policy.multi_label) {
    probabilities.reserve(logits.size());
    for (const float z : logits)
      probabilities.push_back(static_cast<float>(1.0 / (1.0 + std::exp(-z / policy.temperature))));
  } else {
    probabilities = data::SoftmaxWithTemperature(logits, policy.temperature);
  }
  std::vector<std::size_t> order(probabilities.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return probabilities[a] > probabilities[b]; });
  const std::size_t k = std::clamp<std::size_t>(top_k, 1, probabilities.size());
  prediction.top.reserve(k);
  for (std::size_t i = 0; i < k; ++i) {
    prediction.top.push_back({labels.at(order[i]), probabilities[order[i]], logits[order[i]]});
  }
  prediction.label = prediction.top.front().label;
  prediction.score = prediction.top.front().score;
  const float second = order.size() > 1 ? probabilities[order[1]] : 0.0f;
  prediction.fallback = data::FallsBack({policy.fallback_threshold, policy.fallback_margin}, prediction.score, second);
  if (policy.multi_label) {
    for (const std::size_t c : order) {
      const double threshold = policy.label_thresholds.empty() ? 0.5 : policy.label_thresholds.at(c);
      if (probabilities[c] >= threshold) prediction.labels.push_back({labels.at(c), probabilities[c], logits[c]});
    }
    if (prediction.labels.empty()) prediction.fallback = true;
  }
  return prediction;
}

}  // namespace fastintent::runtime
