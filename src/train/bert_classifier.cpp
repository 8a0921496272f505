// BertForSequenceClassification as transformers 4.46 computes it (eager attention): embeddings
// (word + token type + position, LayerNorm, dropout), post-LayerNorm encoder layers, pooler (dense + tanh
// on [CLS]), dropout, classifier.
#include <cmath>

#include "sequence_classifier.h"

namespace fastintent::train {
namespace {

using torch::nn::Dropout;
using torch::nn::Embedding;
using torch::nn::EmbeddingOptions;
using torch::nn::LayerNorm;
using torch::nn::Linear;

class BertLayer : public torch::nn::Module {
 public:
  BertLayer(const checkpoint::ModelConfig& c, const DropoutConfig& dropout)
      : heads_(TorchSize(c.num_heads)),
        head_size_(TorchSize(c.hidden_size / c.num_heads)),
        act_(c.hidden_act),
        dropout_(dropout) {
    const auto h = TorchSize(c.hidden_size);
    auto attention = register_module("attention", std::make_shared<torch::nn::Module>());
    auto self = attention->register_module("self", std::make_shared<torch::nn::Module>());
    query_ = self->register_module("query", Linear(h, h));
    key_ = self->register_module("key", Linear(h, h));
    value_ = self->register_module("value", Linear(h, h));
    auto attention_output = attention->register_module("output", std::make_shared<torch::nn::Module>());
    attention_dense_ = attention_output->register_module("dense", Linear(h, h));
    attention_norm_ = attention_output->register_module("LayerNorm", MakeHiddenLayerNorm(c));
    auto intermediate = register_module("intermediate", std::make_shared<torch::nn::Module>());
    intermediate_ = intermediate->register_module("dense", Linear(h, TorchSize(c.intermediate_size)));
    auto output = register_module("output", std::make_shared<torch::nn::Module>());
    output_dense_ = output->register_module("dense", Linear(TorchSize(c.intermediate_size), h));
    output_norm_ = output->register_module("LayerNorm", MakeHiddenLayerNorm(c));
  }

  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& additive_mask) {
    const auto batch = x.size(0), sequence = x.size(1);
    auto split = [&](const torch::Tensor& t) {
      return t.view({batch, sequence, heads_, head_size_}).permute({0, 2, 1, 3});
    };
    auto q = split(query_(x)), k = split(key_(x)), v = split(value_(x));
    auto scores = torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(head_size_));
    scores = scores + additive_mask;
    auto probs = torch::dropout(torch::softmax(scores, -1), dropout_.attention, is_training());
    auto context = torch::matmul(probs, v).permute({0, 2, 1, 3}).contiguous().view({batch, sequence, -1});
    auto attended = attention_norm_(
        torch::dropout(attention_dense_(context), dropout_.hidden, is_training()) + x);
    auto inner = Activation(act_, intermediate_(attended));
    return output_norm_(torch::dropout(output_dense_(inner), dropout_.hidden, is_training()) + attended);
  }

 private:
  std::int64_t heads_, head_size_;
  std::string act_;
  DropoutConfig dropout_;
  Linear query_{nullptr}, key_{nullptr}, value_{nullptr}, attention_dense_{nullptr};
  LayerNorm attention_norm_{nullptr};
  Linear intermediate_{nullptr}, output_dense_{nullptr};
  LayerNorm output_norm_{nullptr};
};

class BertClassifier : public SequenceClassifierModule {
 public:
  BertClassifier(const checkpoint::ModelConfig& c, std::size_t num_labels, const DropoutConfig& dropout)
      : dropout_(dropout) {
    const auto h = TorchSize(c.hidden_size);
    auto bert = register_module("bert", std::make_shared<torch::nn::Module>());
    auto embeddings = bert->register_module("embeddings", std::make_shared<torch::nn::Module>());
    word_ = embeddings->register_module(
        "word_embeddings",
        Embedding(EmbeddingOptions(TorchSize(c.vocab_size), h).padding_idx(TorchSize(c.pad_token_id))));
    position_ = embeddings->register_module("position_embeddings",
                                            Embedding(TorchSize(c.max_position_embeddings), h));
    token_type_ = embeddings->register_module("token_type_embeddings",
                                              Embedding(std::max<std::int64_t>(TorchSize(c.type_vocab_size), 1),
                                                        h));
    embedding_norm_ = embeddings->register_module("LayerNorm", MakeHiddenLayerNorm(c));
    auto encoder = bert->register_module("encoder", std::make_shared<torch::nn::Module>());
    auto layers = encoder->register_module("layer", torch::nn::ModuleList());
    for (std::size_t i = 0; i < c.num_layers; ++i) {
      layers_.push_back(std::make_shared<BertLayer>(c, dropout_));
      layers->push_back(layers_.back());
    }
    auto pooler = bert->register_module("pooler", std::make_shared<torch::nn::Module>());
    pooler_ = pooler->register_module("dense", Linear(h, h));
    classifier_ = register_module("classifier", Linear(h, TorchSize(num_labels)));
  }

  torch::Tensor Encode(const EncoderInputs& in) override {
    const auto sequence = in.ids.size(1);
    auto positions = torch::arange(sequence, torch::kLong).unsqueeze(0);
    auto type_ids = in.type_ids.defined() ? in.type_ids : torch::zeros_like(in.ids);
    auto x = word_(in.ids) + token_type_(type_ids);
    x = x + position_(positions);
    x = torch::dropout(embedding_norm_(x), dropout_.hidden, is_training());
    const auto mask = AdditiveAttentionMask(in.attention_mask);
    for (auto& layer : layers_) x = layer->forward(x, mask);
    return x;
  }

  torch::Tensor Classify(const torch::Tensor& hidden) override {
    auto pooled = torch::tanh(pooler_(hidden.select(1, 0)));
    return classifier_(torch::dropout(pooled, dropout_.classifier, is_training()));
  }

  bool IsHeadParameter(const std::string& name) const override {
    return name.rfind("bert.pooler.", 0) == 0 || name.rfind("classifier.", 0) == 0;
  }

 private:
  DropoutConfig dropout_;
  Embedding word_{nullptr}, position_{nullptr}, token_type_{nullptr};
  LayerNorm embedding_norm_{nullptr};
  std::vector<std::shared_ptr<BertLayer>> layers_;
  Linear pooler_{nullptr}, classifier_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceClassifierModule> MakeBertClassifier(const checkpoint::ModelConfig& config,
                                                             std::size_t num_labels) {
  return std::make_shared<BertClassifier>(config, num_labels, DropoutConfig{});
}

}  // namespace fastintent::train
