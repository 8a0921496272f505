#pragma once
// Multi-label data and metrics: a text may carry several intents ("интернет не работает, и верните деньги" is
// internet_down and billing_dispute). In a data file the label field names them separated by a separator
// ("internet_down|billing_dispute"); metrics are scikit-learn's for multi-label indicators (micro and macro F1,
// subset accuracy), with zero_division = 0.
#include <cstddef>
#include <string>
#include <vector>

#include "fastintent/data/dataset.h"
#include "fastintent/data/metrics.h"

namespace fastintent::data {

inline constexpr char kDefaultLabelSeparator = '|';

// The labels of one field, in order, without repeats. Throws InvalidInput for an empty part ("a||b", "a|").
std::vector<std::string> SplitLabels(const std::string& field, char separator = kDefaultLabelSeparator);

// Sorted unique labels over every example's split label field: the class id of a label is its index.
std::vector<std::string> MultiLabelSet(const std::vector<Example>& examples, char separator = kDefaultLabelSeparator);

struct MultiLabelMetrics {
  std::size_t count = 0;
  double micro_precision = 0, micro_recall = 0, micro_f1 = 0;
  double macro_f1 = 0;
  double subset_accuracy = 0;           // the predicted set equals the true set
  std::vector<ClassMetrics> per_class;  // in label order
};

// `truth` and `predicted` are class-id sets per example (ids into `labels`).
MultiLabelMetrics ComputeMultiLabelMetrics(const std::vector<std::string>& labels,
                                           const std::vector<std::vector<int>>& truth,
                                           const std::vector<std::vector<int>>& predicted);

// Per label, the probability threshold in 0.05, 0.10, ..., 0.95 with the best F1 of that label on these rows
// (ties: the one nearest 0.5; a label absent from the rows keeps 0.5). `probabilities` is [rows][labels].
std::vector<double> ChooseLabelThresholds(const std::vector<std::vector<float>>& probabilities,
                                          const std::vector<std::vector<int>>& truth);

}  // namespace fastintent::data
