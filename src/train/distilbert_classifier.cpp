// DistilBertForSequenceClassification as transformers 4.46 computes it (eager attention): embeddings
// (word + position, LayerNorm, dropout), post-LayerNorm transformer blocks with masked_fill(lowest) attention,
// then [CLS] -> pre_classifier -> ReLU -> dropout -> classifier. With mean pooling: the mean over real tokens,
// dropout, classifier.
#include "encoder_layer.h"
#include "sequence_classifier.h"

namespace fastintent::train {
namespace {

using torch::nn::Linear;

class DistilBertClassifier : public SequenceClassifierModule {
 public:
  DistilBertClassifier(const checkpoint::ModelConfig& c, std::size_t num_labels, const DropoutConfig& dropout)
      : dropout_(dropout), pooling_(c.pooling.value_or(checkpoint::Pooling::kCls)) {
    const auto h = TorchSize(c.hidden_size);
    auto distilbert = register_module("distilbert", std::make_shared<torch::nn::Module>());
    embeddings_.emplace(*distilbert->register_module("embeddings", std::make_shared<torch::nn::Module>()), c);
    auto transformer = distilbert->register_module("transformer", std::make_shared<torch::nn::Module>());
    layers_ = RegisterEncoderLayers(*transformer, c, dropout_, EncoderLayer::Style::kDistilBert);
    if (pooling_ == checkpoint::Pooling::kCls) pre_classifier_ = register_module("pre_classifier", Linear(h, h));
    classifier_ = register_module("classifier", Linear(h, TorchSize(num_labels)));
  }

  torch::Tensor Encode(const EncoderInputs& in) override {
    auto x = torch::dropout(embeddings_->Embed(in), dropout_.hidden, is_training());
    const auto padding = PaddingMask(in.attention_mask);
    for (auto& layer : layers_) x = layer->forward(x, padding);
    return x;
  }

  torch::Tensor Classify(const torch::Tensor& hidden, const torch::Tensor& attention_mask) override {
    auto pooled = pooling_ == checkpoint::Pooling::kMean ? MeanPool(hidden, attention_mask)
                                                         : torch::relu(pre_classifier_(hidden.select(1, 0)));
    return classifier_(torch::dropout(pooled, dropout_.classifier, is_training()));
  }

  bool IsHeadParameter(const std::string& name) const override {
    return name.rfind("pre_classifier.", 0) == 0 || name.rfind("classifier.", 0) == 0;
  }

 private:
  DropoutConfig dropout_;
  checkpoint::Pooling pooling_;
  std::optional<EmbeddingBlock> embeddings_;
  std::vector<std::shared_ptr<EncoderLayer>> layers_;
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
