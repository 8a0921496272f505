#include "fastintent/data/evaluate.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "fastintent/common/error.h"
#include "fastintent/data/calibration.h"

namespace fastintent::data {

std::vector<double> DefaultFallbackThresholds() {
  return {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99};
}

Evaluation Evaluate(const std::vector<Example>& examples, const std::vector<std::string>& model_labels,
                    const BatchPredictor& predict, const EvaluateOptions& options) {
  if (examples.empty()) throw InvalidInput("evaluate: got 0 examples, expected a labelled data set");
  if (options.batch_size == 0) throw InvalidInput("evaluate: batch size: got 0, expected >= 1");

  Evaluation evaluation;
  evaluation.labels = model_labels;
  std::unordered_map<std::string, int> ids;
  auto id_of = [&](const std::string& label) {
    auto [it, inserted] = ids.emplace(label, static_cast<int>(evaluation.labels.size()));
    if (inserted) evaluation.labels.push_back(label);
    return it->second;
  };
  for (std::size_t i = 0; i < model_labels.size(); ++i) ids.emplace(model_labels[i], static_cast<int>(i));

  std::vector<int> truth, predicted;
  std::vector<float> scores;
  truth.reserve(examples.size());
  for (const auto& example : examples) {
    const bool known = ids.count(example.label) != 0;
    if (!known) ++evaluation.examples_with_unknown_label;
    truth.push_back(id_of(example.label));
  }

  std::vector<std::string> batch;
  for (std::size_t start = 0; start < examples.size(); start += options.batch_size) {
    const std::size_t end = std::min(examples.size(), start + options.batch_size);
    batch.clear();
    for (std::size_t i = start; i < end; ++i) batch.push_back(examples[i].text);
    const auto started = std::chrono::steady_clock::now();
    const auto answers = predict(batch);
    evaluation.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (answers.size() != batch.size()) {
      throw InvalidInput("evaluate: the predictor returned " + std::to_string(answers.size()) +
                         " predictions, expected " + std::to_string(batch.size()));
    }
    for (const auto& answer : answers) {
      predicted.push_back(id_of(answer.label));
      scores.push_back(answer.score);
      evaluation.outcomes.push_back({answer, false});
    }
  }
  evaluation.metrics = ComputeMetrics(evaluation.labels, truth, predicted);
  std::vector<bool> correct;
  std::size_t handed = 0, kept_correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    evaluation.outcomes[i].correct = truth[i] == predicted[i];
    correct.push_back(evaluation.outcomes[i].correct);
    handed += evaluation.outcomes[i].prediction.fallback;
    kept_correct += !evaluation.outcomes[i].prediction.fallback && evaluation.outcomes[i].correct;
  }
  evaluation.calibration_error = ExpectedCalibrationError(scores, correct);
  evaluation.policy_fallback_rate = static_cast<double>(handed) / static_cast<double>(truth.size());
  evaluation.policy_accuracy_of_rest =
      handed == truth.size() ? 0.0 : static_cast<double>(kept_correct) / static_cast<double>(truth.size() - handed);
  if (!options.fallback_thresholds.empty()) {
    evaluation.fallback = FallbackSweep(options.fallback_thresholds, truth, predicted, scores);
  }
  return evaluation;
}

}  // namespace fastintent::data
