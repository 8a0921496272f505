#pragma once
// Shared state while one BERT/DistilBERT graph is written, and the two encoder bodies (plain ONNX ops or
// ONNX Runtime contrib ops). Each body maps the graph inputs to the last hidden state [batch, sequence, hidden].
#include <string>

#include "checkpoint_weights.h"
#include "fastintent/checkpoint/checkpoint.h"
#include "onnx_builder.h"

namespace fastintent::exporter {

// Canonical weight names of one architecture (see checkpoint::CanonicalWeights).
struct WeightNames {
  std::string embeddings;  // "bert.embeddings." / "distilbert.embeddings."
  std::string Layer(std::size_t index) const;
  std::string layer_prefix;  // "bert.encoder.layer." / "distilbert.transformer.layer."
  std::string query, key, value, attention_output, attention_norm, ffn_in, ffn_out, output_norm;
};
WeightNames NamesFor(checkpoint::Architecture architecture);

struct GraphContext {
  OnnxBuilder& builder;
  const checkpoint::ModelConfig& config;
  const CheckpointWeights& weights;
  const WeightNames& names;
  int opset;
  bool has_token_types;  // BERT: token_type_ids is a graph input

  std::int64_t hidden() const { return static_cast<std::int64_t>(config.hidden_size); }
  std::int64_t heads() const { return static_cast<std::int64_t>(config.num_heads); }
  std::int64_t intermediate() const { return static_cast<std::int64_t>(config.intermediate_size); }

  // MatMul(x, W^T) + b for the Linear `prefix`.weight [out, in] / `prefix`.bias [out].
  std::string Linear(const std::string& x, const std::string& prefix, std::int64_t in, std::int64_t out);
  // The bias of a Linear as an initializer (for fused ops that add it themselves).
  std::string Bias(const std::string& prefix, std::int64_t size);
  std::string MatMulWeight(const std::string& x, const std::string& prefix, std::int64_t in, std::int64_t out);
};

inline constexpr const char* kInputIds = "input_ids";
inline constexpr const char* kAttentionMask = "attention_mask";
inline constexpr const char* kTokenTypeIds = "token_type_ids";

std::string PlainEncoder(GraphContext& context);
std::string FusedEncoder(GraphContext& context);

}  // namespace fastintent::exporter
