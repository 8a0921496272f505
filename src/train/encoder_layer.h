#pragma once
// One post-LayerNorm transformer encoder layer, the part BERT and DistilBERT share: self-attention, residual +
// LayerNorm, feed-forward, residual + LayerNorm. The two differ only in parameter names and in how
// transformers computes attention, which `Style` keeps exact (parity tests compare with transformers to the
// last bit on tiny models). Internal to fastintent_train (torch types).
#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "fastintent/checkpoint/checkpoint.h"
#include "sequence_classifier.h"

namespace fastintent::train {

class EncoderLayer : public torch::nn::Module {
 public:
  enum class Style {
    // BertLayer: scores = QK^T / sqrt(d) + additive mask; dropout after the attention output projection.
    kBert,
    // DistilBERT TransformerBlock: Q / sqrt(d) before QK^T, masked_fill(lowest) on padding; no dropout after
    // the attention output projection.
    kDistilBert,
  };
  EncoderLayer(const checkpoint::ModelConfig& config, const DropoutConfig& dropout, Style style);

  // `mask` is what the style takes: kBert the additive float mask [batch, 1, 1, sequence]
  // (AdditiveAttentionMask), kDistilBert bool [batch, 1, 1, sequence], true on padding (PaddingMask).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

 private:
  Style style_;
  std::int64_t heads_, head_size_;
  std::string act_;
  DropoutConfig dropout_;
  torch::nn::Linear query_{nullptr}, key_{nullptr}, value_{nullptr}, attention_out_{nullptr};
  torch::nn::LayerNorm attention_norm_{nullptr};
  torch::nn::Linear inner_{nullptr}, outer_{nullptr};
  torch::nn::LayerNorm output_norm_{nullptr};
};

// true where attention_mask is 0: [batch, 1, 1, sequence] (the kDistilBert mask).
torch::Tensor PaddingMask(const torch::Tensor& attention_mask);

// Word and position embeddings (and token type embeddings when type_vocab_size > 0) registered under
// `parent` as transformers names them ("word_embeddings", "position_embeddings", "token_type_embeddings",
// "LayerNorm"); Embed sums them for the ids and normalizes.
class EmbeddingBlock {
 public:
  EmbeddingBlock(torch::nn::Module& parent, const checkpoint::ModelConfig& config);
  torch::Tensor Embed(const EncoderInputs& inputs);

 private:
  torch::nn::Embedding word_{nullptr}, position_{nullptr}, token_type_{nullptr};
  torch::nn::LayerNorm norm_{nullptr};
};

// `count` layers registered as `parent`'s ModuleList "layer" (transformers' "<encoder>.layer.<i>.").
std::vector<std::shared_ptr<EncoderLayer>> RegisterEncoderLayers(torch::nn::Module& parent,
                                                                 const checkpoint::ModelConfig& config,
                                                                 const DropoutConfig& dropout,
                                                                 EncoderLayer::Style style);

}  // namespace fastintent::train
