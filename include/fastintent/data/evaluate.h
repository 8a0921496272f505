#pragma once
// Evaluating a classifier on a labelled data set (used by `fastintent eval` and the quantize accuracy
// gate): runs any predictor in batches, computes Metrics and the fallback sweep, and renders the result
// as JSON or a readable markdown table. The predictor is a plain function, so this stays free of
// ONNX Runtime, libtorch and liblinear.
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "fastintent/data/dataset.h"
#include "fastintent/data/metrics.h"

namespace fastintent::data {

struct TopPrediction {
  std::string label;
  float score = 0;  // probability of `label` (what the fallback threshold is compared with)
};

// Classifies a batch of texts; must return one prediction per text, in order.
using BatchPredictor = std::function<std::vector<TopPrediction>(const std::vector<std::string>& texts)>;

struct EvaluateOptions {
  std::size_t batch_size = 64;
  std::vector<double> fallback_thresholds;  // empty: no fallback report
};

struct Evaluation {
  std::vector<std::string> labels;              // the model's labels, then labels found only in the data
  std::size_t examples_with_unknown_label = 0;  // data labels the model cannot predict (always counted wrong)
  Metrics metrics;
  std::vector<FallbackPoint> fallback;
  double seconds = 0;  // wall time spent in the predictor
};

// Throws InvalidInput for no examples, a zero batch size, or a predictor returning the wrong count.
Evaluation Evaluate(const std::vector<Example>& examples, const std::vector<std::string>& model_labels,
                    const BatchPredictor& predict, const EvaluateOptions& options = {});

// 0.0, 0.1, ..., 0.9, 0.95, 0.99.
std::vector<double> DefaultFallbackThresholds();

// Free-form facts printed with the result (model, runtime, data file...), in order.
struct EvaluationContext {
  std::vector<std::pair<std::string, std::string>> facts;
};

// {"context": {...}, "count", "accuracy", "f1_macro", "f1_weighted", "seconds", "texts_per_second",
//  "examples_with_unknown_label", "labels": [...], "per_class": [{label, precision, recall, f1, support}],
//  "confusion": [[...]], "fallback": [{threshold, fallback_rate, accuracy_of_rest, kept}]}
std::string EvaluationToJson(const Evaluation& evaluation, const EvaluationContext& context);

// Summary, per-class table (worst F1 first), the most frequent confusions and the fallback table.
std::string EvaluationToMarkdown(const Evaluation& evaluation, const EvaluationContext& context);

}  // namespace fastintent::data
