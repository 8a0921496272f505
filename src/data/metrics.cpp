#include "fastintent/data/metrics.h"

#include <string>

#include "fastintent/common/error.h"

namespace fastintent::data {
namespace {

void CheckIds(const std::vector<int>& ids, std::size_t label_count, const char* what) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || static_cast<std::size_t>(ids[i]) >= label_count) {
      throw InvalidInput(std::string(what) + "[" + std::to_string(i) + "]: got class id " + std::to_string(ids[i]) +
                         ", expected 0.." + std::to_string(label_count) + " - 1");
    }
  }
}

double Ratio(std::size_t numerator, std::size_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace

Metrics ComputeMetrics(const std::vector<std::string>& labels, const std::vector<int>& truth,
                       const std::vector<int>& predicted) {
  if (truth.size() != predicted.size()) {
    throw InvalidInput("metrics: got " + std::to_string(predicted.size()) + " predictions, expected " +
                       std::to_string(truth.size()) + " (one per true label)");
  }
  if (truth.empty()) throw InvalidInput("metrics: got 0 examples, expected at least one");
  if (labels.empty()) throw InvalidInput("metrics: got 0 labels, expected at least one");
  CheckIds(truth, labels.size(), "truth");
  CheckIds(predicted, labels.size(), "predicted");

  const std::size_t k = labels.size();
  Metrics metrics;
  metrics.count = truth.size();
  metrics.confusion.assign(k, std::vector<std::size_t>(k, 0));
  std::size_t correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    ++metrics.confusion[static_cast<std::size_t>(truth[i])][static_cast<std::size_t>(predicted[i])];
    if (truth[i] == predicted[i]) ++correct;
  }
  metrics.accuracy = Ratio(correct, truth.size());

  // scikit-learn's precision_recall_fscore_support(labels=all, zero_division=0): a ratio with a zero
  // denominator is 0; F1 = 2tp / (2tp + fp + fn), which equals 2PR/(P+R) and is 0 when tp = 0.
  double f1_sum = 0, f1_weighted_sum = 0;
  for (std::size_t c = 0; c < k; ++c) {
    const std::size_t tp = metrics.confusion[c][c];
    std::size_t support = 0, predicted_as_c = 0;
    for (std::size_t j = 0; j < k; ++j) {
      support += metrics.confusion[c][j];
      predicted_as_c += metrics.confusion[j][c];
    }
    ClassMetrics m;
    m.label = labels[c];
    m.support = support;
    m.precision = Ratio(tp, predicted_as_c);
    m.recall = Ratio(tp, support);
    m.f1 = Ratio(2 * tp, support + predicted_as_c);
    f1_sum += m.f1;
    f1_weighted_sum += m.f1 * static_cast<double>(support);
    metrics.per_class.push_back(std::move(m));
  }
  metrics.f1_macro = f1_sum / static_cast<double>(k);
  metrics.f1_weighted = f1_weighted_sum / static_cast<double>(truth.size());
  return metrics;
}

}  // namespace fastintent::data
