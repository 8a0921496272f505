#include <string>

#include "fastintent/common/error.h"
#include "fastintent/data/metrics.h"

namespace fastintent::data {

FallbackPoint FallbackAt(double threshold, const std::vector<int>& truth, const std::vector<int>& predicted,
                         const std::vector<float>& top_scores) {
  if (truth.size() != predicted.size() || truth.size() != top_scores.size()) {
    throw InvalidInput("fallback: got " + std::to_string(truth.size()) + " labels, " +
                       std::to_string(predicted.size()) + " predictions and " + std::to_string(top_scores.size()) +
                       " scores, expected equal counts");
  }
  FallbackPoint point;
  point.threshold = threshold;
  std::size_t correct_kept = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (static_cast<double>(top_scores[i]) < threshold) continue;  // handed to a human operator
    ++point.kept;
    if (truth[i] == predicted[i]) ++correct_kept;
  }
  const std::size_t n = truth.size();
  point.fallback_rate = n == 0 ? 0.0 : static_cast<double>(n - point.kept) / static_cast<double>(n);
  point.accuracy_of_rest = point.kept == 0 ? 0.0 : static_cast<double>(correct_kept) / static_cast<double>(point.kept);
  return point;
}

std::vector<FallbackPoint> FallbackSweep(const std::vector<double>& thresholds, const std::vector<int>& truth,
                                         const std::vector<int>& predicted, const std::vector<float>& top_scores) {
  std::vector<FallbackPoint> points;
  points.reserve(thresholds.size());
  for (double threshold : thresholds) points.push_back(FallbackAt(threshold, truth, predicted, top_scores));
  return points;
}

}  // namespace fastintent::data
