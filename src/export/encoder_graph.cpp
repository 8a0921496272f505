#include "encoder_graph.h"

namespace fastintent::exporter {

std::string WeightNames::Layer(std::size_t index) const { return layer_prefix + std::to_string(index) + "."; }

WeightNames NamesFor(checkpoint::Architecture architecture) {
  if (architecture == checkpoint::Architecture::kBert) {
    return {"bert.embeddings.",     "bert.encoder.layer.",    "attention.self.query",       "attention.self.key",
            "attention.self.value", "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense",
            "output.dense",         "output.LayerNorm"};
  }
  return {"distilbert.embeddings.",
          "distilbert.transformer.layer.",
          "attention.q_lin",
          "attention.k_lin",
          "attention.v_lin",
          "attention.out_lin",
          "sa_layer_norm",
          "ffn.lin1",
          "ffn.lin2",
          "output_layer_norm"};
}

std::string GraphContext::MatMulWeight(const std::string& x, const std::string& prefix, std::int64_t in,
                                       std::int64_t out) {
  const std::string weight =
      builder.FloatInitializer(prefix + ".weight", {in, out}, weights.LinearForMatMul(prefix + ".weight", out, in));
  return builder.Op("MatMul", {x, weight}, prefix + ".matmul");
}

std::string GraphContext::Bias(const std::string& prefix, std::int64_t size) {
  return builder.FloatInitializer(prefix + ".bias", {size}, weights.Get(prefix + ".bias", {size}).data);
}

std::string GraphContext::Linear(const std::string& x, const std::string& prefix, std::int64_t in, std::int64_t out) {
  const std::string product = MatMulWeight(x, prefix, in, out);
  return builder.Op("Add", {product, Bias(prefix, out)}, prefix + ".out");
}

}  // namespace fastintent::exporter
