#include "accuracy_gate.h"

#include <algorithm>
#include <map>

#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"
#include "fastintent/data/metrics.h"
#include "fastintent/runtime/classifier.h"

namespace fastintent::exporter {
namespace {

// Top-1 class ids of `texts` through the engine that serves the model, with its default token limit (what
// the server and `fastintent predict` use), so the gate measures what is served.
std::vector<int> Predict(const std::filesystem::path& model_dir, const std::filesystem::path& model_file,
                         const std::vector<std::string>& texts) {
  runtime::ClassifierOptions options;
  options.model_file = model_file;
  const auto classifier = runtime::Classifier::Load(model_dir, options);
  std::vector<int> predicted;
  predicted.reserve(texts.size());
  for (const auto& row : classifier->Logits(texts)) {
    predicted.push_back(static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin()));
  }
  return predicted;
}

}  // namespace

GateResult EvaluateGate(const std::filesystem::path& model_dir, const std::filesystem::path& fp32_model,
                        const std::filesystem::path& int8_model, const AccuracyGate& gate) {
  const std::vector<std::string> labels = checkpoint::ReadModelDirectory(model_dir).labels;
  std::map<std::string, int> label_ids;
  for (std::size_t i = 0; i < labels.size(); ++i) label_ids.emplace(labels[i], static_cast<int>(i));

  const std::vector<data::Example> examples = data::ReadExamples(gate.valid_file);
  if (examples.empty()) throw InvalidInput(gate.valid_file.string() + ": no examples to evaluate the gate on");
  std::vector<int> truth;
  std::vector<std::string> texts;
  for (const data::Example& example : examples) {
    const auto found = label_ids.find(example.label);
    if (found == label_ids.end()) {
      throw InvalidInput(gate.valid_file.string() + ": label \"" + example.label + "\" is not one of the " +
                         std::to_string(labels.size()) + " labels in config.json");
    }
    truth.push_back(found->second);
    texts.push_back(example.text);
  }

  const std::vector<int> fp32 = Predict(model_dir, fp32_model, texts);
  const std::vector<int> int8 = Predict(model_dir, int8_model, texts);
  const data::Metrics fp32_metrics = data::ComputeMetrics(labels, truth, fp32);
  const data::Metrics int8_metrics = data::ComputeMetrics(labels, truth, int8);
  GateResult result;
  result.examples = examples.size();
  result.fp32_f1 = 100 * fp32_metrics.f1_macro;
  result.int8_f1 = 100 * int8_metrics.f1_macro;
  result.fp32_accuracy = 100 * fp32_metrics.accuracy;
  result.int8_accuracy = 100 * int8_metrics.accuracy;
  std::size_t same = 0;
  for (std::size_t i = 0; i < fp32.size(); ++i) same += fp32[i] == int8[i];
  result.agreement = 100.0 * static_cast<double>(same) / static_cast<double>(fp32.size());
  result.passed = result.fp32_f1 - result.int8_f1 <= gate.max_f1_drop;
  return result;
}

}  // namespace fastintent::exporter
