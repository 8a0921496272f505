#include "fastintent/data/calibration.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "fastintent/common/error.h"

namespace fastintent::data {
namespace {

// Mean negative log-likelihood of softmax(beta * logits) (beta = 1 / T).
double NegativeLogLikelihood(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                             double beta) {
  double sum = 0;
  for (std::size_t row = 0; row < logits.size(); ++row) {
    const auto& z = logits[row];
    const double max = beta * *std::max_element(z.begin(), z.end());
    double exp_sum = 0;
    for (const float value : z) exp_sum += std::exp(beta * value - max);
    sum += max + std::log(exp_sum) - beta * z[static_cast<std::size_t>(truth[row])];
  }
  return sum / static_cast<double>(logits.size());
}

}  // namespace

double FitTemperature(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth) {
  if (logits.empty() || logits.size() != truth.size()) {
    throw InvalidInput("temperature scaling: got " + std::to_string(logits.size()) + " rows of logits and " +
                       std::to_string(truth.size()) + " labels, expected equal, non-zero counts");
  }
  for (std::size_t row = 0; row < logits.size(); ++row) {
    if (logits[row].empty() || logits[row].size() != logits.front().size() || truth[row] < 0 ||
        static_cast<std::size_t>(truth[row]) >= logits[row].size()) {
      throw InvalidInput("temperature scaling: row " + std::to_string(row) + " has " +
                         std::to_string(logits[row].size()) + " logits and class id " + std::to_string(truth[row]));
    }
  }
  // Golden-section search for the minimum of a convex function of beta in [1/20, 1/0.05].
  constexpr double kRatio = 0.6180339887498949;
  double lo = 0.05, hi = 20.0;
  double a = hi - kRatio * (hi - lo), b = lo + kRatio * (hi - lo);
  double fa = NegativeLogLikelihood(logits, truth, a), fb = NegativeLogLikelihood(logits, truth, b);
  for (int i = 0; i < 80; ++i) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - kRatio * (hi - lo);
      fa = NegativeLogLikelihood(logits, truth, a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + kRatio * (hi - lo);
      fb = NegativeLogLikelihood(logits, truth, b);
    }
  }
  return 1.0 / ((lo + hi) / 2);
}

std::vector<float> SoftmaxWithTemperature(const std::vector<float>& logits, double temperature) {
  std::vector<float> out(logits.size());
  if (logits.empty()) return out;
  const double max = *std::max_element(logits.begin(), logits.end()) / temperature;
  double sum = 0;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    const double e = std::exp(logits[i] / temperature - max);
    out[i] = static_cast<float>(e);
    sum += e;
  }
  for (float& p : out) p = static_cast<float>(p / sum);
  return out;
}

double ExpectedCalibrationError(const std::vector<float>& top_scores, const std::vector<bool>& correct,
                                std::size_t bins) {
  if (top_scores.size() != correct.size() || bins == 0) {
    throw InvalidInput("calibration error: got " + std::to_string(top_scores.size()) + " scores and " +
                       std::to_string(correct.size()) + " outcomes, expected equal counts and bins > 0");
  }
  if (top_scores.empty()) return 0;
  std::vector<double> confidence(bins, 0), hits(bins, 0), count(bins, 0);
  for (std::size_t i = 0; i < top_scores.size(); ++i) {
    const double score = std::clamp(static_cast<double>(top_scores[i]), 0.0, 1.0);
    const std::size_t bin = std::min(bins - 1, static_cast<std::size_t>(score * static_cast<double>(bins)));
    confidence[bin] += score;
    hits[bin] += correct[i] ? 1 : 0;
    count[bin] += 1;
  }
  double error = 0;
  for (std::size_t bin = 0; bin < bins; ++bin) {
    if (count[bin] == 0) continue;
    error += std::abs(hits[bin] - confidence[bin]) / static_cast<double>(top_scores.size());
  }
  return error;
}

bool FallsBack(const FallbackPolicy& policy, float top, float second) {
  return static_cast<double>(top) < policy.threshold || static_cast<double>(top - second) < policy.margin;
}

PolicyOutcome ApplyPolicy(const FallbackPolicy& policy, const std::vector<float>& top, const std::vector<float>& second,
                          const std::vector<bool>& correct) {
  if (top.size() != second.size() || top.size() != correct.size()) {
    throw InvalidInput("fallback policy: got " + std::to_string(top.size()) + " top scores, " +
                       std::to_string(second.size()) + " second scores and " + std::to_string(correct.size()) +
                       " outcomes, expected equal counts");
  }
  PolicyOutcome outcome{policy, 0, 0, 0};
  std::size_t handed = 0, kept_correct = 0, errors = 0, errors_handed = 0;
  for (std::size_t i = 0; i < top.size(); ++i) {
    const bool falls = FallsBack(policy, top[i], second[i]);
    handed += falls;
    errors += !correct[i];
    errors_handed += falls && !correct[i];
    kept_correct += !falls && correct[i];
  }
  const std::size_t kept = top.size() - handed;
  outcome.fallback_rate = top.empty() ? 0 : static_cast<double>(handed) / static_cast<double>(top.size());
  outcome.accuracy_of_rest = kept == 0 ? 0 : static_cast<double>(kept_correct) / static_cast<double>(kept);
  outcome.errors_caught = errors == 0 ? 1 : static_cast<double>(errors_handed) / static_cast<double>(errors);
  return outcome;
}

namespace {

// The grid search both choices share: among policies meeting `meets`, the one handing over the fewest texts
// (ties: the higher accuracy of the rest).
template <typename Meets>
std::optional<PolicyOutcome> ChooseFewestHandedOver(const std::vector<float>& top, const std::vector<float>& second,
                                                    const std::vector<bool>& correct, bool margin, Meets meets) {
  std::optional<PolicyOutcome> best;
  for (int t = 0; t <= 100; ++t) {
    for (int m = 0; m <= (margin ? 100 : 0); ++m) {
      const PolicyOutcome outcome = ApplyPolicy({t / 100.0, m / 100.0}, top, second, correct);
      if (!meets(outcome)) continue;
      if (!best || outcome.fallback_rate < best->fallback_rate ||
          (outcome.fallback_rate == best->fallback_rate && outcome.accuracy_of_rest > best->accuracy_of_rest)) {
        best = outcome;
      }
    }
  }
  return best;
}

}  // namespace

std::optional<PolicyOutcome> ChoosePolicyForPrecision(double precision, const std::vector<float>& top,
                                                      const std::vector<float>& second,
                                                      const std::vector<bool>& correct, bool margin) {
  return ChooseFewestHandedOver(top, second, correct, margin, [&](const PolicyOutcome& o) {
    return o.fallback_rate < 1 && o.accuracy_of_rest >= precision;
  });
}

std::optional<PolicyOutcome> ChoosePolicyForRecall(double target_recall, const std::vector<float>& top,
                                                   const std::vector<float>& second, const std::vector<bool>& correct,
                                                   bool margin) {
  return ChooseFewestHandedOver(top, second, correct, margin,
                                [&](const PolicyOutcome& o) { return o.errors_caught >= target_recall; });
}

}  // namespace fastintent::data
