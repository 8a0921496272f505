// DistilBertForSequenceClassification as transformers 4.46 computes it (eager attention): embeddings
// (word + position, LayerNorm, dropout), post-LayerNorm transformer blocks with masked_fill(lowest) attention,
// then [CLS] -> pre_classifier -> ReLU -> dropout -> classifier.
#include <cmath>
#include <limits>

#include "sequence_classifier.h"

namespace fastintent::train {
namespace {

using torch::nn::Embedding;
using torch::nn::EmbeddingOptions;
using torch::nn::LayerNorm;
using torch::nn::Linear;

class TransformerBlock : public torch::nn::Module {
 public:
  TransformerBlock(const checkpoint::ModelConfig& c, const DropoutConfig& dropout)
      : heads_(TorchSize(c.num_heads)),
        head_size_(TorchSize(c.hidden_size / c.num_heads)),
        act_(c.hidden_act),
        dropout_(dropout) {
    const auto h = TorchSize(c.hidden_size);
    auto attention = register_module("attention", std::make_shared<torch::nn::Module>());
    q_ = attention->register_module("q_lin", Linear(h, h));
    k_ = attention->register_module("k_lin", Linear(h, h));
    v_ = attention->register_module("v_lin", Linear(h, h));
    out_ = attention->register_module("out_lin", Linear(h, h));
    sa_norm_ = register_module("sa_layer_norm", MakeHiddenLayerNorm(c));
    auto ffn = register_module("ffn", std::make_shared<torch::nn::Module>());
    lin1_ = ffn->register_module("lin1", Linear(h, TorchSize(c.intermediate_size)));
    lin2_ = ffn->register_module("lin2", Linear(TorchSize(c.intermediate_size), h));
    output_norm_ = register_module("output_layer_norm", MakeHiddenLayerNorm(c));
  }

  // `padding` is bool [batch, 1, 1, sequence], true where the key is padding.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& padding) {
    const auto batch = x.size(0), sequence = x.size(1);
    auto split = [&](const torch::Tensor& t) {
      return t.view({batch, sequence, heads_, head_size_}).transpose(1, 2);
    };
    auto q = split(q_(x)) / std::sqrt(static_cast<double>(head_size_));
    auto k = split(k_(x)), v = split(v_(x));
    auto scores = torch::matmul(q, k.transpose(2, 3));
    scores = scores.masked_fill(padding, std::numeric_limits<float>::lowest());
    auto weights = torch::dropout(torch::softmax(scores, -1), dropout_.attention, is_training());
    auto context = torch::matmul(weights, v).transpose(1, 2).contiguous().view({batch, sequence, -1});
    auto attended = sa_norm_(out_(context) + x);
    auto ffn = lin2_(Activation(act_, lin1_(attended)));
    ffn = torch::dropout(ffn, dropout_.hidden, is_training());
    return output_norm_(ffn + attended);
  }

 private:
  std::int64_t heads_, head_size_;
  std::string act_;
  DropoutConfig dropout_;
  Linear q_{nullptr}, k_{nullptr}, v_{nullptr}, out_{nullptr};
  LayerNorm sa_norm_{nullptr};
  Linear lin1_{nullptr}, lin2_{nullptr};
  LayerNorm output_norm_{nullptr};
};

class DistilBertClassifier : public SequenceClassifierModule {
 public:
  DistilBertClassifier(const checkpoint::ModelConfig& c, std::size_t num_labels, const DropoutConfig& dropout)
      : dropout_(dropout) {
    const auto h = TorchSize(c.hidden_size);
    auto distilbert = register_module("distilbert", std::make_shared<torch::nn::Module>());
    auto embeddings = distilbert->register_module("embeddings", std::make_shared<torch::nn::Module>());
    word_ = embeddings->register_module(
        "word_embeddings",
        Embedding(EmbeddingOptions(TorchSize(c.vocab_size), h).padding_idx(TorchSize(c.pad_token_id))));
    position_ = embeddings->register_module("position_embeddings",
                                            Embedding(TorchSize(c.max_position_embeddings), h));
    embedding_norm_ = embeddings->register_module("LayerNorm", MakeHiddenLayerNorm(c));
    auto transformer = distilbert->register_module("transformer", std::make_shared<torch::nn::Module>());
    auto layers = transformer->register_module("layer", torch::nn::ModuleList());
    for (std::size_t i = 0; i < c.num_layers; ++i) {
      layers_.push_back(std::make_shared<TransformerBlock>(c, dropout_));
      layers->push_back(layers_.back());
    }
    pre_classifier_ = register_module("pre_classifier", Linear(h, h));
    classifier_ = register_module("classifier", Linear(h, TorchSize(num_labels)));
  }

  torch::Tensor Encode(const EncoderInputs& in) override {
    const auto sequence = in.ids.size(1);
    auto positions = torch::arange(sequence, torch::kLong).unsqueeze(0);
    auto x = word_(in.ids) + position_(positions);
    x = torch::dropout(embedding_norm_(x), dropout_.hidden, is_training());
    const auto padding = (in.attention_mask == 0).unsqueeze(1).unsqueeze(2);
    for (auto& layer : layers_) x = layer->forward(x, padding);
    return x;
  }

  torch::Tensor Classify(const torch::Tensor& hidden) override {
    auto pooled = torch::relu(pre_classifier_(hidden.select(1, 0)));
    return classifier_(torch::dropout(pooled, dropout_.classifier, is_training()));
  }

  bool IsHeadParameter(const std::string& name) const override {
    return name.rfind("pre_classifier.", 0) == 0 || name.rfind("classifier.", 0) == 0;
  }

 private:
  DropoutConfig dropout_;
  Embedding word_{nullptr}, position_{nullptr};
  LayerNorm embedding_norm_{nullptr};
  std::vector<std::shared_ptr<TransformerBlock>> layers_;
  Linear pre_classifier_{nullptr}, classifier_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceClassifierModule> MakeDistilBertClassifier(const checkpoint::ModelConfig& config,
                                                                   std::size_t num_labels) {
  DropoutConfig dropout;
  dropout.classifier = 0.2;  // transformers' seq_classif_dropout default
  return std::make_shared<DistilBertClassifier>(config, num_labels, dropout);
}

}  // namespace fastintent::train
