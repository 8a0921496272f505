#include "encoder_layer.h"

#include <cmath>
#include <limits>

namespace fastintent::train {
namespace {

using torch::nn::Linear;

// transformers' parameter names of one layer in each style.
struct LayerNames {
  const char* query;
  const char* key;
  const char* value;
  const char* attention_out;
  const char* attention_norm;
  const char* inner;
  const char* outer;
  const char* output_norm;
};

}  // namespace

EncoderLayer::EncoderLayer(const checkpoint::ModelConfig& c, const DropoutConfig& dropout, Style style)
    : style_(style),
      heads_(TorchSize(c.num_heads)),
      head_size_(TorchSize(c.hidden_size / c.num_heads)),
      act_(c.hidden_act),
      dropout_(dropout) {
  const auto h = TorchSize(c.hidden_size);
  const auto i = TorchSize(c.intermediate_size);
  if (style == Style::kBert) {
    // attention.self.{query,key,value}, attention.output.{dense,LayerNorm}, intermediate.dense,
    // output.{dense,LayerNorm}
    auto attention = register_module("attention", std::make_shared<torch::nn::Module>());
    auto self = attention->register_module("self", std::make_shared<torch::nn::Module>());
    query_ = self->register_module("query", Linear(h, h));
    key_ = self->register_module("key", Linear(h, h));
    value_ = self->register_module("value", Linear(h, h));
    auto attention_output = attention->register_module("output", std::make_shared<torch::nn::Module>());
    attention_out_ = attention_output->register_module("dense", Linear(h, h));
    attention_norm_ = attention_output->register_module("LayerNorm", MakeHiddenLayerNorm(c));
    auto intermediate = register_module("intermediate", std::make_shared<torch::nn::Module>());
    inner_ = intermediate->register_module("dense", Linear(h, i));
    auto output = register_module("output", std::make_shared<torch::nn::Module>());
    outer_ = output->register_module("dense", Linear(i, h));
    output_norm_ = output->register_module("LayerNorm", MakeHiddenLayerNorm(c));
  } else {
    // attention.{q_lin,k_lin,v_lin,out_lin}, sa_layer_norm, ffn.{lin1,lin2}, output_layer_norm
    auto attention = register_module("attention", std::make_shared<torch::nn::Module>());
    query_ = attention->register_module("q_lin", Linear(h, h));
    key_ = attention->register_module("k_lin", Linear(h, h));
    value_ = attention->register_module("v_lin", Linear(h, h));
    attention_out_ = attention->register_module("out_lin", Linear(h, h));
    attention_norm_ = register_module("sa_layer_norm", MakeHiddenLayerNorm(c));
    auto ffn = register_module("ffn", std::make_shared<torch::nn::Module>());
    inner_ = ffn->register_module("lin1", Linear(h, i));
    outer_ = ffn->register_module("lin2", Linear(i, h));
    output_norm_ = register_module("output_layer_norm", MakeHiddenLayerNorm(c));
  }
}

torch::Tensor EncoderLayer::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  const auto batch = x.size(0), sequence = x.size(1);
  auto split = [&](const torch::Tensor& t) { return t.view({batch, sequence, heads_, head_size_}).transpose(1, 2); };
  const double scale = std::sqrt(static_cast<double>(head_size_));
  torch::Tensor scores;
  if (style_ == Style::kBert) {
    scores = torch::matmul(split(query_(x)), split(key_(x)).transpose(-1, -2)) / scale + mask;
  } else {
    scores = torch::matmul(split(query_(x)) / scale, split(key_(x)).transpose(-1, -2))
                 .masked_fill(mask, std::numeric_limits<float>::lowest());
  }
  const auto weights = torch::dropout(torch::softmax(scores, -1), dropout_.attention, is_training());
  const auto context =
      torch::matmul(weights, split(value_(x))).transpose(1, 2).contiguous().view({batch, sequence, -1});
  auto projected = attention_out_(context);
  if (style_ == Style::kBert) projected = torch::dropout(projected, dropout_.hidden, is_training());
  const auto attended = attention_norm_(projected + x);
  const auto ffn = torch::dropout(outer_(Activation(act_, inner_(attended))), dropout_.hidden, is_training());
  return output_norm_(ffn + attended);
}

torch::Tensor PaddingMask(const torch::Tensor& attention_mask) {
  return (attention_mask == 0).unsqueeze(1).unsqueeze(2);
}

EmbeddingBlock::EmbeddingBlock(torch::nn::Module& parent, const checkpoint::ModelConfig& c) {
  const auto h = TorchSize(c.hidden_size);
  word_ = parent.register_module(
      "word_embeddings",
      torch::nn::Embedding(
          torch::nn::EmbeddingOptions(TorchSize(c.vocab_size), h).padding_idx(TorchSize(c.pad_token_id))));
  position_ =
      parent.register_module("position_embeddings", torch::nn::Embedding(TorchSize(c.max_position_embeddings), h));
  if (c.architecture == checkpoint::Architecture::kBert) {
    token_type_ = parent.register_module(
        "token_type_embeddings", torch::nn::Embedding(std::max<std::int64_t>(TorchSize(c.type_vocab_size), 1), h));
  }
  norm_ = parent.register_module("LayerNorm", MakeHiddenLayerNorm(c));
}

torch::Tensor EmbeddingBlock::Embed(const EncoderInputs& in) {
  const auto positions = torch::arange(in.ids.size(1), torch::kLong).unsqueeze(0);
  auto x = word_(in.ids);
  if (!token_type_.is_empty()) x = x + token_type_(in.type_ids.defined() ? in.type_ids : torch::zeros_like(in.ids));
  return norm_(x + position_(positions));
}

std::vector<std::shared_ptr<EncoderLayer>> RegisterEncoderLayers(torch::nn::Module& parent,
                                                                 const checkpoint::ModelConfig& config,
                                                                 const DropoutConfig& dropout,
                                                                 EncoderLayer::Style style) {
  auto list = parent.register_module("layer", torch::nn::ModuleList());
  std::vector<std::shared_ptr<EncoderLayer>> layers;
  for (std::size_t i = 0; i < config.num_layers; ++i) {
    layers.push_back(std::make_shared<EncoderLayer>(config, dropout, style));
    list->push_back(layers.back());
  }
  return layers;
}

}  // namespace fastintent::train
