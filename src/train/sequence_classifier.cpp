#include "sequence_classifier.h"

#include <limits>

#include "fastintent/common/error.h"

namespace fastintent::train {

torch::Tensor AdditiveAttentionMask(const torch::Tensor& attention_mask) {
  auto mask = attention_mask.to(torch::kFloat).unsqueeze(1).unsqueeze(2);
  return (1.0 - mask) * std::numeric_limits<float>::lowest();
}

torch::Tensor MeanPool(const torch::Tensor& hidden, const torch::Tensor& attention_mask) {
  const auto mask = attention_mask.unsqueeze(-1).to(hidden.scalar_type());
  return (hidden * mask).sum(1) / torch::clamp_min(mask.sum(1), 1e-9);
}

torch::Tensor Activation(const std::string& name, const torch::Tensor& x) {
  if (name == "gelu") return torch::gelu(x);
  if (name == "gelu_new" || name == "gelu_pytorch_tanh") return torch::gelu(x, "tanh");
  if (name == "relu") return torch::relu(x);
  throw InvalidInput("hidden_act: got \"" + name + "\", expected gelu, gelu_new, gelu_pytorch_tanh or relu");
}

void InitialiseLikeTransformers(torch::nn::Module& module, double stddev) {
  torch::NoGradGuard no_grad;
  for (auto& child : module.modules(/*include_self=*/true)) {
    if (auto* linear = child->as<torch::nn::Linear>()) {
      linear->weight.normal_(0.0, stddev);
      if (linear->bias.defined()) linear->bias.zero_();
    } else if (auto* embedding = child->as<torch::nn::Embedding>()) {
      embedding->weight.normal_(0.0, stddev);
      const auto& pad = embedding->options.padding_idx();
      if (pad.has_value()) embedding->weight[*pad].zero_();
    } else if (auto* norm = child->as<torch::nn::LayerNorm>()) {
      norm->weight.fill_(1.0);
      norm->bias.zero_();
    }
  }
}

torch::nn::LayerNorm MakeHiddenLayerNorm(const checkpoint::ModelConfig& config) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({TorchSize(config.hidden_size)}).eps(config.layer_norm_eps));
}

}  // namespace fastintent::train
