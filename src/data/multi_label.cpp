#include "fastintent/data/multi_label.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "fastintent/common/error.h"

namespace fastintent::data {
namespace {

double Ratio(double numerator, double denominator) { return denominator == 0 ? 0.0 : numerator / denominator; }

double F1(double tp, double fp, double fn) { return Ratio(2 * tp, 2 * tp + fp + fn); }

}  // namespace

std::vector<std::string> SplitLabels(const std::string& field, char separator) {
  std::vector<std::string> labels;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = field.find(separator, start);
    const std::string part = field.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (part.empty()) {
      throw InvalidInput("label field \"" + field + "\": an empty label between separators '" +
                         std::string(1, separator) + "'");
    }
    if (std::find(labels.begin(), labels.end(), part) == labels.end()) labels.push_back(part);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return labels;
}

std::vector<std::string> MultiLabelSet(const std::vector<Example>& examples, char separator) {
  std::set<std::string> labels;
  for (const auto& example : examples) {
    for (auto& label : SplitLabels(example.label, separator)) labels.insert(std::move(label));
  }
  return {labels.begin(), labels.end()};
}

MultiLabelMetrics ComputeMultiLabelMetrics(const std::vector<std::string>& labels,
                                           const std::vector<std::vector<int>>& truth,
                                           const std::vector<std::vector<int>>& predicted) {
  if (truth.size() != predicted.size()) {
    throw InvalidInput("multi-label metrics: got " + std::to_string(predicted.size()) + " predictions, expected " +
                       std::to_string(truth.size()));
  }
  const std::size_t n = labels.size();
  std::vector<double> tp(n, 0), fp(n, 0), fn(n, 0), support(n, 0);
  std::size_t exact = 0;
  for (std::size_t row = 0; row < truth.size(); ++row) {
    std::vector<bool> gold(n, false), guess(n, false);
    for (const int id : truth[row]) gold.at(static_cast<std::size_t>(id)) = true;
    for (const int id : predicted[row]) guess.at(static_cast<std::size_t>(id)) = true;
    exact += gold == guess;
    for (std::size_t c = 0; c < n; ++c) {
      tp[c] += gold[c] && guess[c];
      fp[c] += !gold[c] && guess[c];
      fn[c] += gold[c] && !guess[c];
      support[c] += gold[c];
    }
  }
  MultiLabelMetrics metrics;
  metrics.count = truth.size();
  double all_tp = 0, all_fp = 0, all_fn = 0, f1_sum = 0;
  for (std::size_t c = 0; c < n; ++c) {
    ClassMetrics m;
    m.label = labels[c];
    m.precision = Ratio(tp[c], tp[c] + fp[c]);
    m.recall = Ratio(tp[c], tp[c] + fn[c]);
    m.f1 = F1(tp[c], fp[c], fn[c]);
    m.support = static_cast<std::size_t>(support[c]);
    metrics.per_class.push_back(m);
    all_tp += tp[c];
    all_fp += fp[c];
    all_fn += fn[c];
    f1_sum += m.f1;
  }
  metrics.micro_precision = Ratio(all_tp, all_tp + all_fp);
  metrics.micro_recall = Ratio(all_tp, all_tp + all_fn);
  metrics.micro_f1 = F1(all_tp, all_fp, all_fn);
  metrics.macro_f1 = n == 0 ? 0.0 : f1_sum / static_cast<double>(n);
  metrics.subset_accuracy = Ratio(static_cast<double>(exact), static_cast<double>(truth.size()));
  return metrics;
}

std::vector<double> ChooseLabelThresholds(const std::vector<std::vector<float>>& probabilities,
                                          const std::vector<std::vector<int>>& truth) {
  if (probabilities.size() != truth.size()) {
    throw InvalidInput("label thresholds: got " + std::to_string(probabilities.size()) + " rows of scores and " +
                       std::to_string(truth.size()) + " of labels");
  }
  const std::size_t n = probabilities.empty() ? 0 : probabilities.front().size();
  std::vector<double> thresholds(n, 0.5);
  for (std::size_t c = 0; c < n; ++c) {
    double best_f1 = -1;
    for (int step = 1; step <= 19; ++step) {
      const double threshold = step * 0.05;
      double tp = 0, fp = 0, fn = 0;
      for (std::size_t row = 0; row < truth.size(); ++row) {
        const bool gold = std::find(truth[row].begin(), truth[row].end(), static_cast<int>(c)) != truth[row].end();
        const bool guess = probabilities[row][c] >= threshold;
        tp += gold && guess;
        fp += !gold && guess;
        fn += gold && !guess;
      }
      if (tp + fn == 0) break;  // the label does not occur here: keep 0.5
      const double f1 = F1(tp, fp, fn);
      if (f1 > best_f1 + 1e-12 ||
          (std::abs(f1 - best_f1) <= 1e-12 && std::abs(threshold - 0.5) < std::abs(thresholds[c] - 0.5))) {
        best_f1 = f1;
        thresholds[c] = threshold;
      }
    }
  }
  return thresholds;
}

}  // namespace fastintent::data
