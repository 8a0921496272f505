// BertForSequenceClassification as transformers 4.46 computes it (eager attention): embeddings
// (word + token type + position, LayerNorm, dropout), post-LayerNorm encoder layers, pooler (dense + tanh
// on [CLS]), dropout, classifier. With mean pooling: the mean over real tokens, dropout, classifier.
#include "encoder_layer.h"
#include "sequence_classifier.h"

namespace fastintent::train {
namespace {

using torch::nn::Linear;

class BertClassifier : public SequenceClassifierModule {
 public:
  BertClassifier(const checkpoint::ModelConfig& c, std::size_t num_labels, const DropoutConfig& dropout)
      : dropout_(dropout), pooling_(c.pooling.value_or(checkpoint::Pooling::kCls)) {
    const auto h = TorchSize(c.hidden_size);
    auto bert = register_module("bert", std::make_shared<torch::nn::Module>());
    embeddings_.emplace(*bert->register_module("embeddings", std::make_shared<torch::nn::Module>()), c);
    auto encoder = bert->register_module("encoder", std::make_shared<torch::nn::Module>());
    layers_ = RegisterEncoderLayers(*encoder, c, dropout_, EncoderLayer::Style::kBert);
    if (pooling_ == checkpoint::Pooling::kCls) {
      auto pooler = bert->register_module("pooler", std::make_shared<torch::nn::Module>());
      pooler_ = pooler->register_module("dense", Linear(h, h));
    }
    classifier_ = register_module("classifier", Linear(h, TorchSize(num_labels)));
  }

  torch::Tensor Encode(const EncoderInputs& in) override {
    auto x = torch::dropout(embeddings_->Embed(in), dropout_.hidden, is_training());
    const auto mask = AdditiveAttentionMask(in.attention_mask);
    for (auto& layer : layers_) x = layer->forward(x, mask);
    return x;
  }

  torch::Tensor Classify(const torch::Tensor& hidden, const torch::Tensor& attention_mask) override {
    auto pooled = pooling_ == checkpoint::Pooling::kMean ? MeanPool(hidden, attention_mask)
                                                         : torch::tanh(pooler_(hidden.select(1, 0)));
    return classifier_(torch::dropout(pooled, dropout_.classifier, is_training()));
  }

  bool IsHeadParameter(const std::string& name) const override {
    return name.rfind("bert.pooler.", 0) == 0 || name.rfind("classifier.", 0) == 0;
  }

 private:
  DropoutConfig dropout_;
  checkpoint::Pooling pooling_;
  std::optional<EmbeddingBlock> embeddings_;
  std::vector<std::shared_ptr<EncoderLayer>> layers_;
  Linear pooler_{nullptr}, classifier_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceClassifierModule> MakeBertClassifier(const checkpoint::ModelConfig& config,
                                                             std::size_t num_labels) {
  return std::make_shared<BertClassifier>(config, num_labels, DropoutConfig{});
}

}  // namespace fastintent::train
