#pragma once
// Classification metrics as scikit-learn defines them (precision/recall/F1 per class; macro and weighted
// averages; zero_division=0), the confusion matrix, and the "hand it to a human operator" fallback sweep.
#include <cstddef>
#include <string>
#include <vector>

namespace fastintent::data {

struct ClassMetrics {
  std::string label;
  double precision = 0, recall = 0, f1 = 0;
  std::size_t support = 0;
};

struct Metrics {
  std::size_t count = 0;
  double accuracy = 0;
  double f1_macro = 0;
  double f1_weighted = 0;
  std::vector<ClassMetrics> per_class;              // in label order
  std::vector<std::vector<std::size_t>> confusion;  // [true][predicted]
};

// `labels` fixes the class order; `truth`/`predicted` are class ids into it.
Metrics ComputeMetrics(const std::vector<std::string>& labels, const std::vector<int>& truth,
                       const std::vector<int>& predicted);

struct FallbackPoint {
  double threshold = 0;
  double fallback_rate = 0;     // share of texts whose top score < threshold (sent to a human)
  double accuracy_of_rest = 0;  // accuracy on the texts kept by the model
  std::size_t kept = 0;
};
FallbackPoint FallbackAt(double threshold, const std::vector<int>& truth, const std::vector<int>& predicted,
                         const std::vector<float>& top_scores);
// FallbackAt for each threshold, in the given order.
std::vector<FallbackPoint> FallbackSweep(const std::vector<double>& thresholds, const std::vector<int>& truth,
                                         const std::vector<int>& predicted, const std::vector<float>& top_scores);

}  // namespace fastintent::data
