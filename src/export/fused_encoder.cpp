// The encoder in ONNX Runtime contrib ops (domain com.microsoft), the shape ORT's transformer optimizer gives
// a BERT graph: EmbedLayerNormalization (word + position [+ segment] embeddings and LayerNorm in one op),
// per layer one Attention (packed QKV weight [hidden, 3*hidden]), SkipLayerNormalization (residual + bias +
// LayerNorm) after the attention output and the feed-forward output, and BiasGelu (erf GELU) or FastGelu
// (tanh GELU) after the first feed-forward MatMul. The 2-D attention mask goes to Attention as is
// (ORT masks with -10000 rather than float min; the padded keys get weight 0 either way).
#include "encoder_graph.h"

namespace fastintent::exporter {
namespace {

std::string Embeddings(GraphContext& context, const std::string& mask32) {
  OnnxBuilder& b = context.builder;
  const std::string& prefix = context.names.embeddings;
  const auto& config = context.config;
  const std::int64_t hidden = context.hidden();
  const auto vocab = static_cast<std::int64_t>(config.vocab_size);
  const auto positions = static_cast<std::int64_t>(config.max_position_embeddings);
  const auto to_int32 = std::vector<Attribute>{{"to", std::int64_t{onnx::TensorProto::INT32}}};
  const std::string ids32 = b.Op("Cast", {kInputIds}, "input_ids_int32", to_int32);
  std::string types32;
  std::string type_table;
  if (context.has_token_types) {
    const auto types = static_cast<std::int64_t>(config.type_vocab_size);
    types32 = b.Op("Cast", {kTokenTypeIds}, "token_type_ids_int32", to_int32);
    type_table = b.FloatInitializer(prefix + "token_type_embeddings.weight", {types, hidden},
                                    context.weights.Get(prefix + "token_type_embeddings.weight", {types, hidden}).data);
  }
  const std::string word_table =
      b.FloatInitializer(prefix + "word_embeddings.weight", {vocab, hidden},
                         context.weights.Get(prefix + "word_embeddings.weight", {vocab, hidden}).data);
  const std::string position_table =
      b.FloatInitializer(prefix + "position_embeddings.weight", {positions, hidden},
                         context.weights.Get(prefix + "position_embeddings.weight", {positions, hidden}).data);
  const std::string gamma = b.FloatInitializer(prefix + "LayerNorm.weight", {hidden},
                                               context.weights.Get(prefix + "LayerNorm.weight", {hidden}).data);
  const std::string beta = b.FloatInitializer(prefix + "LayerNorm.bias", {hidden},
                                              context.weights.Get(prefix + "LayerNorm.bias", {hidden}).data);
  const auto outputs = b.OpMulti(
      "EmbedLayerNormalization", {ids32, types32, word_table, position_table, type_table, gamma, beta, mask32},
      {"embeddings", "mask_index"}, {{"epsilon", static_cast<float>(config.layer_norm_eps)}}, kMicrosoftDomain);
  return outputs.front();
}

// Q, K, V Linear weights packed side by side: [hidden, 3 * hidden] and bias [3 * hidden].
std::pair<std::string, std::string> PackedQkv(GraphContext& context, const std::string& layer) {
  const std::int64_t hidden = context.hidden();
  const auto h = static_cast<std::size_t>(hidden);
  std::vector<float> weight(h * 3 * h);
  std::vector<float> bias(3 * h);
  const std::string parts[3] = {context.names.query, context.names.key, context.names.value};
  for (std::size_t part = 0; part < 3; ++part) {
    const std::vector<float> w = context.weights.LinearForMatMul(layer + parts[part] + ".weight", hidden, hidden);
    for (std::size_t row = 0; row < h; ++row) {
      std::copy(w.begin() + static_cast<std::ptrdiff_t>(row * h),
                w.begin() + static_cast<std::ptrdiff_t>((row + 1) * h),
                weight.begin() + static_cast<std::ptrdiff_t>(row * 3 * h + part * h));
    }
    const auto& b = context.weights.Get(layer + parts[part] + ".bias", {hidden}).data;
    std::copy(b.begin(), b.end(), bias.begin() + static_cast<std::ptrdiff_t>(part * h));
  }
  OnnxBuilder& builder = context.builder;
  return {builder.FloatInitializer(layer + "attention.qkv.weight", {hidden, 3 * hidden}, weight),
          builder.FloatInitializer(layer + "attention.qkv.bias", {3 * hidden}, bias)};
}

std::string SkipLayerNorm(GraphContext& context, const std::string& x, const std::string& skip, const std::string& bias,
                          const std::string& prefix) {
  OnnxBuilder& b = context.builder;
  const std::int64_t hidden = context.hidden();
  const std::string gamma =
      b.FloatInitializer(prefix + ".weight", {hidden}, context.weights.Get(prefix + ".weight", {hidden}).data);
  const std::string beta =
      b.FloatInitializer(prefix + ".bias", {hidden}, context.weights.Get(prefix + ".bias", {hidden}).data);
  return b.Op("SkipLayerNormalization", {x, skip, gamma, beta, bias}, prefix + ".out",
              {{"epsilon", static_cast<float>(context.config.layer_norm_eps)}}, kMicrosoftDomain);
}

std::string BiasActivation(GraphContext& context, const std::string& x, const std::string& bias,
                           const std::string& hint) {
  OnnxBuilder& b = context.builder;
  const std::string& act = context.config.hidden_act;
  if (act == "gelu") return b.Op("BiasGelu", {x, bias}, hint, {}, kMicrosoftDomain);
  if (act == "relu") return b.Op("Relu", {b.Op("Add", {x, bias}, hint + ".biased")}, hint);
  return b.Op("FastGelu", {x, bias}, hint, {}, kMicrosoftDomain);  // gelu_new / gelu_pytorch_tanh
}

}  // namespace

std::string FusedEncoder(GraphContext& context) {
  OnnxBuilder& b = context.builder;
  const WeightNames& names = context.names;
  const std::int64_t hidden = context.hidden();
  const std::string mask32 =
      b.Op("Cast", {kAttentionMask}, "attention_mask_int32", {{"to", std::int64_t{onnx::TensorProto::INT32}}});
  std::string x = Embeddings(context, mask32);
  for (std::size_t i = 0; i < context.config.num_layers; ++i) {
    const std::string layer = names.Layer(i);
    const auto [qkv_weight, qkv_bias] = PackedQkv(context, layer);
    const std::string attention = b.Op("Attention", {x, qkv_weight, qkv_bias, mask32}, layer + "attention",
                                       {{"num_heads", context.heads()}}, kMicrosoftDomain);
    const std::string attention_out = context.MatMulWeight(attention, layer + names.attention_output, hidden, hidden);
    x = SkipLayerNorm(context, attention_out, x, context.Bias(layer + names.attention_output, hidden),
                      layer + names.attention_norm);
    const std::string inner = context.MatMulWeight(x, layer + names.ffn_in, hidden, context.intermediate());
    const std::string activated = BiasActivation(
        context, inner, context.Bias(layer + names.ffn_in, context.intermediate()), layer + "activation");
    const std::string ffn_out = context.MatMulWeight(activated, layer + names.ffn_out, context.intermediate(), hidden);
    x = SkipLayerNorm(context, ffn_out, x, context.Bias(layer + names.ffn_out, hidden), layer + names.output_norm);
  }
  return x;
}

}  // namespace fastintent::exporter
