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

struct ScoredLabel {
  std::string label;
  float score = 0;
};

struct TopPrediction {
  TopPrediction() = default;
  TopPrediction(std::string top_label, float top_score) : label(std::move(top_label)), score(top_score) {}

  std::string label;
  float score = 0;               // probability of `label` (what the fallback threshold is compared with)
  float second = 0;              // the second-best probability (0 when unknown)
  bool fallback = false;         // the model's own hand-off policy sends this text to an operator
  std::vector<ScoredLabel> top;  // the best labels with their scores, best first (for error reports)
};

// One example as the model saw it: for error reports and the data loop.
struct ExampleOutcome {
  TopPrediction prediction;
  bool correct = false;
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
  double seconds = 0;               // wall time spent in the predictor
  double calibration_error = 0;     // expected calibration error of the top scores (15 bins)
  double policy_fallback_rate = 0;  // the model's own hand-off policy: share sent to an operator
  double policy_accuracy_of_rest = 0;
  std::vector<ExampleOutcome> outcomes;  // per example, in input order
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
//  "calibration_error", "policy": {fallback_rate, accuracy_of_rest},
//  "examples_with_unknown_label", "labels": [...], "per_class": [{label, precision, recall, f1, support}],
//  "confusion": [[...]], "fallback": [{threshold, fallback_rate, accuracy_of_rest, kept}]}
std::string EvaluationToJson(const Evaluation& evaluation, const EvaluationContext& context);

// Summary, per-class table (worst F1 first), the most frequent confusions and the fallback table.
std::string EvaluationToMarkdown(const Evaluation& evaluation, const EvaluationContext& context);

}  // namespace fastintent::data
