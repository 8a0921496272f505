// The encoder in standard ONNX ops, following transformers' eager BertModel / DistilBertModel:
// embeddings (word + position [+ token type]) -> LayerNorm -> N x (self-attention, Add & LayerNorm,
// feed-forward, Add & LayerNorm). The padding mask becomes an additive bias of finfo(float32).min, as in
// transformers. LayerNormalization is one op from opset 17; below it is spelled out in primitive ops.
#include <cmath>
#include <limits>

#include "encoder_graph.h"
#include "fastintent/common/error.h"

namespace fastintent::exporter {
namespace {

std::string LayerNorm(GraphContext& context, const std::string& x, const std::string& prefix) {
  OnnxBuilder& b = context.builder;
  const std::int64_t hidden = context.hidden();
  const std::string gamma =
      b.FloatInitializer(prefix + ".weight", {hidden}, context.weights.Get(prefix + ".weight", {hidden}).data);
  const std::string beta =
      b.FloatInitializer(prefix + ".bias", {hidden}, context.weights.Get(prefix + ".bias", {hidden}).data);
  const float epsilon = static_cast<float>(context.config.layer_norm_eps);
  if (context.opset >= 17) {
    return b.Op("LayerNormalization", {x, gamma, beta}, prefix + ".out",
                {{"axis", std::int64_t{-1}}, {"epsilon", epsilon}});
  }
  const std::vector<Attribute> last_axis = {{"axes", std::vector<std::int64_t>{-1}}, {"keepdims", std::int64_t{1}}};
  const std::string mean = b.Op("ReduceMean", {x}, prefix + ".mean", last_axis);
  const std::string centered = b.Op("Sub", {x, mean}, prefix + ".centered");
  const std::string squared = b.Op("Mul", {centered, centered}, prefix + ".squared");
  const std::string variance = b.Op("ReduceMean", {squared}, prefix + ".variance", last_axis);
  const std::string shifted = b.Op("Add", {variance, b.ScalarFloat(prefix + ".epsilon", epsilon)}, prefix + ".shifted");
  const std::string deviation = b.Op("Sqrt", {shifted}, prefix + ".deviation");
  const std::string normalized = b.Op("Div", {centered, deviation}, prefix + ".normalized");
  const std::string scaled = b.Op("Mul", {normalized, gamma}, prefix + ".scaled");
  return b.Op("Add", {scaled, beta}, prefix + ".out");
}

std::string Activation(GraphContext& context, const std::string& x, const std::string& hint) {
  OnnxBuilder& b = context.builder;
  const std::string& act = context.config.hidden_act;
  if (act == "relu") return b.Op("Relu", {x}, hint);
  if (act == "gelu") {  // 0.5 * x * (1 + erf(x / sqrt(2)))
    const std::string scaled = b.Op("Div", {x, b.ScalarFloat("sqrt2", std::sqrt(2.0f))}, hint + ".scaled");
    const std::string erf = b.Op("Erf", {scaled}, hint + ".erf");
    const std::string shifted = b.Op("Add", {erf, b.ScalarFloat("one", 1.0f)}, hint + ".shifted");
    const std::string product = b.Op("Mul", {x, shifted}, hint + ".product");
    return b.Op("Mul", {product, b.ScalarFloat("half", 0.5f)}, hint);
  }
  // gelu_new / gelu_pytorch_tanh: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
  const std::string cube = b.Op("Mul", {b.Op("Mul", {x, x}, hint + ".square"), x}, hint + ".cube");
  const std::string inner =
      b.Op("Add", {x, b.Op("Mul", {cube, b.ScalarFloat("c", 0.044715f)}, hint + ".c")}, hint + ".inner");
  const std::string tanh =
      b.Op("Tanh", {b.Op("Mul", {inner, b.ScalarFloat("k", 0.7978845608028654f)}, hint + ".k")}, hint + ".tanh");
  const std::string product =
      b.Op("Mul", {x, b.Op("Add", {tanh, b.ScalarFloat("one", 1.0f)}, hint + ".shifted")}, hint + ".product");
  return b.Op("Mul", {product, b.ScalarFloat("half", 0.5f)}, hint);
}

std::string Embeddings(GraphContext& context) {
  OnnxBuilder& b = context.builder;
  const std::string& prefix = context.names.embeddings;
  const std::int64_t hidden = context.hidden();
  const auto& config = context.config;
  const std::string word_table = b.FloatInitializer(
      prefix + "word_embeddings.weight", {static_cast<std::int64_t>(config.vocab_size), hidden},
      context.weights.Get(prefix + "word_embeddings.weight", {static_cast<std::int64_t>(config.vocab_size), hidden})
          .data);
  const std::string position_table = b.FloatInitializer(
      prefix + "position_embeddings.weight", {static_cast<std::int64_t>(config.max_position_embeddings), hidden},
      context.weights
          .Get(prefix + "position_embeddings.weight",
               {static_cast<std::int64_t>(config.max_position_embeddings), hidden})
          .data);
  std::string sum = b.Op("Gather", {word_table, kInputIds}, "word_embeddings");

  // Positions 0..S-1: the first S rows of the position table.
  const std::string shape = b.Op("Shape", {kInputIds}, "input_shape");
  const std::string length =
      b.Op("Gather", {shape, b.Int64Initializer(b.Unique("axis1"), {1}, {1})}, "sequence_length");
  const std::string zero = b.Int64Initializer(b.Unique("zero"), {1}, {0});
  const std::string positions = b.Op("Slice", {position_table, zero, length, zero}, "position_embeddings");
  sum = b.Op("Add", {sum, positions}, "embeddings_sum");
  if (context.has_token_types) {
    const std::int64_t types = static_cast<std::int64_t>(config.type_vocab_size);
    const std::string type_table =
        b.FloatInitializer(prefix + "token_type_embeddings.weight", {types, hidden},
                           context.weights.Get(prefix + "token_type_embeddings.weight", {types, hidden}).data);
    sum = b.Op("Add", {sum, b.Op("Gather", {type_table, kTokenTypeIds}, "token_type_embeddings")}, "embeddings_sum");
  }
  return LayerNorm(context, sum, prefix + "LayerNorm");
}

// [batch, sequence] mask of 1/0 -> [batch, 1, 1, sequence] bias of 0 / finfo(float).min.
std::string MaskBias(GraphContext& context) {
  OnnxBuilder& b = context.builder;
  const std::string mask =
      b.Op("Cast", {kAttentionMask}, "mask_float", {{"to", std::int64_t{onnx::TensorProto::FLOAT}}});
  const std::string inverted = b.Op("Sub", {b.ScalarFloat("one", 1.0f), mask}, "mask_inverted");
  const std::string bias =
      b.Op("Mul", {inverted, b.ScalarFloat("float_min", std::numeric_limits<float>::lowest())}, "mask_bias");
  return b.Op("Unsqueeze", {bias, b.Int64Initializer(b.Unique("axes12"), {2}, {1, 2})}, "mask_bias_4d");
}

std::string SelfAttention(GraphContext& context, const std::string& x, const std::string& layer,
                          const std::string& mask_bias) {
  OnnxBuilder& b = context.builder;
  const std::int64_t hidden = context.hidden();
  const std::int64_t heads = context.heads();
  const std::int64_t head_size = hidden / heads;
  const std::string split_heads = b.Int64Initializer(b.Unique("split_heads_shape"), {4}, {0, 0, heads, head_size});
  const auto project = [&](const std::string& name, std::vector<std::int64_t> perm) {
    const std::string projected = context.Linear(x, layer + name, hidden, hidden);
    const std::string reshaped = b.Op("Reshape", {projected, split_heads}, layer + name + ".heads");
    return b.Op("Transpose", {reshaped}, layer + name + ".transposed", {{"perm", perm}});
  };
  const std::string query = project(context.names.query, {0, 2, 1, 3});
  const std::string key = project(context.names.key, {0, 2, 3, 1});
  const std::string value = project(context.names.value, {0, 2, 1, 3});
  const std::string scores = b.Op("MatMul", {query, key}, layer + "scores");
  const std::string scaled =
      b.Op("Div", {scores, b.ScalarFloat("sqrt_head_size", std::sqrt(static_cast<float>(head_size)))},
           layer + "scores_scaled");
  const std::string masked = b.Op("Add", {scaled, mask_bias}, layer + "scores_masked");
  const std::string probabilities = b.Op("Softmax", {masked}, layer + "probabilities", {{"axis", std::int64_t{-1}}});
  const std::string context_heads = b.Op("MatMul", {probabilities, value}, layer + "context");
  const std::string merged = b.Op("Transpose", {context_heads}, layer + "context_transposed",
                                  {{"perm", std::vector<std::int64_t>{0, 2, 1, 3}}});
  const std::string merge_shape = b.Int64Initializer(b.Unique("merge_heads_shape"), {3}, {0, 0, hidden});
  return b.Op("Reshape", {merged, merge_shape}, layer + "context_merged");
}

}  // namespace

std::string PlainEncoder(GraphContext& context) {
  OnnxBuilder& b = context.builder;
  const WeightNames& names = context.names;
  const std::int64_t hidden = context.hidden();
  std::string x = Embeddings(context);
  const std::string mask_bias = MaskBias(context);
  for (std::size_t i = 0; i < context.config.num_layers; ++i) {
    const std::string layer = names.Layer(i);
    const std::string attention = SelfAttention(context, x, layer, mask_bias);
    const std::string attention_out = context.Linear(attention, layer + names.attention_output, hidden, hidden);
    x = LayerNorm(context, b.Op("Add", {attention_out, x}, layer + "attention_residual"), layer + names.attention_norm);
    const std::string inner = context.Linear(x, layer + names.ffn_in, hidden, context.intermediate());
    const std::string activated = Activation(context, inner, layer + "activation");
    const std::string ffn_out = context.Linear(activated, layer + names.ffn_out, context.intermediate(), hidden);
    x = LayerNorm(context, b.Op("Add", {ffn_out, x}, layer + "ffn_residual"), layer + names.output_norm);
  }
  return x;
}

}  // namespace fastintent::exporter
