#include "accuracy_gate.h"

#include <algorithm>
#include <map>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"
#include "fastintent/data/metrics.h"
#include "fastintent/text/tokenizer.h"
#include "ort_logits.h"

namespace fastintent::exporter {
namespace {

constexpr std::size_t kBatchSize = 32;
constexpr std::size_t kMaxLength = 128;

std::vector<int> Predict(const OrtLogits& model, const std::vector<TokenBatch>& batches) {
  std::vector<int> predicted;
  for (const TokenBatch& batch : batches) {
    for (const auto& row : model.Run(batch)) {
      predicted.push_back(static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin()));
    }
  }
  return predicted;
}

}  // namespace

GateResult EvaluateGate(const std::filesystem::path& model_dir, const std::filesystem::path& fp32_model,
                        const std::filesystem::path& int8_model, const AccuracyGate& gate) {
  const checkpoint::ModelConfig config = checkpoint::ReadModelConfig(model_dir / "config.json");
  if (config.labels.empty()) throw InvalidInput((model_dir / "config.json").string() + ": no id2label to score against");
  std::map<std::string, int> label_ids;
  for (std::size_t i = 0; i < config.labels.size(); ++i) label_ids.emplace(config.labels[i], static_cast<int>(i));

  const std::vector<data::Example> examples = data::ReadExamples(gate.valid_file);
  if (examples.empty()) throw InvalidInput(gate.valid_file.string() + ": no examples to evaluate the gate on");
  std::vector<int> truth;
  std::vector<std::string> texts;
  for (const data::Example& example : examples) {
    const auto found = label_ids.find(example.label);
    if (found == label_ids.end()) {
      throw InvalidInput(gate.valid_file.string() + ": label \"" + example.label + "\" is not one of the " +
                         std::to_string(config.labels.size()) + " labels in config.json");
    }
    truth.push_back(found->second);
    texts.push_back(example.text);
  }

  const text::Tokenizer tokenizer = text::Tokenizer::Load(model_dir);
  text::EncodeOptions encode;
  encode.max_length = std::min(kMaxLength, config.max_position_embeddings);
  encode.truncation = true;
  encode.padding = text::PaddingStrategy::kLongest;
  std::vector<TokenBatch> batches;
  for (std::size_t start = 0; start < texts.size(); start += kBatchSize) {
    const std::vector<std::string> chunk(texts.begin() + static_cast<std::ptrdiff_t>(start),
                                         texts.begin() + static_cast<std::ptrdiff_t>(std::min(texts.size(), start + kBatchSize)));
    const auto encodings = tokenizer.EncodeBatch(chunk, encode);
    TokenBatch batch;
    batch.batch = static_cast<std::int64_t>(encodings.size());
    batch.sequence = static_cast<std::int64_t>(encodings.front().length());
    for (const text::Encoding& encoding : encodings) {
      batch.input_ids.insert(batch.input_ids.end(), encoding.ids.begin(), encoding.ids.end());
      batch.attention_mask.insert(batch.attention_mask.end(), encoding.attention_mask.begin(), encoding.attention_mask.end());
      batch.token_type_ids.insert(batch.token_type_ids.end(), encoding.type_ids.begin(), encoding.type_ids.end());
    }
    batches.push_back(std::move(batch));
  }

  const std::vector<int> fp32 = Predict(OrtLogits(fp32_model), batches);
  const std::vector<int> int8 = Predict(OrtLogits(int8_model), batches);
  const data::Metrics fp32_metrics = data::ComputeMetrics(config.labels, truth, fp32);
  const data::Metrics int8_metrics = data::ComputeMetrics(config.labels, truth, int8);
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
