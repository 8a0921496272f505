#pragma once
// The torch side of a sequence classifier: an encoder (BERT or DistilBERT) plus its classification head.
// Parameter names equal transformers' state_dict keys ("bert.encoder.layer.0.attention.self.query.weight").
// Internal to fastintent_train (torch types).
#include <torch/torch.h>

#include <string>

#include "fastintent/checkpoint/checkpoint.h"

namespace fastintent::train {

struct EncoderInputs {
  torch::Tensor ids;             // int64 [batch, sequence]
  torch::Tensor attention_mask;  // int64 [batch, sequence], 1 = token, 0 = padding
  torch::Tensor type_ids;        // int64 [batch, sequence]; ignored by DistilBERT
};

// Dropout probabilities: transformers' defaults (the fastintent config does not carry them).
struct DropoutConfig {
  double hidden = 0.1;
  double attention = 0.1;
  double classifier = 0.1;  // BERT: hidden_dropout_prob; DistilBERT: seq_classif_dropout (0.2)
};

class SequenceClassifierModule : public torch::nn::Module {
 public:
  // Last hidden state [batch, sequence, hidden].
  virtual torch::Tensor Encode(const EncoderInputs& inputs) = 0;
  // Logits [batch, classes] from the last hidden state (the attention mask says which tokens are real, for
  // mean pooling).
  virtual torch::Tensor Classify(const torch::Tensor& hidden, const torch::Tensor& attention_mask) = 0;
  torch::Tensor Logits(const EncoderInputs& inputs) { return Classify(Encode(inputs), inputs.attention_mask); }
  // True for the head's parameters (pooler, pre_classifier, classifier): a checkpoint may lack them.
  virtual bool IsHeadParameter(const std::string& name) const = 0;
};

// A config size as the int64 that torch's shapes take.
inline std::int64_t TorchSize(std::size_t value) { return static_cast<std::int64_t>(value); }
// LayerNorm over the hidden size with the config's epsilon (both encoders' norms).
torch::nn::LayerNorm MakeHiddenLayerNorm(const checkpoint::ModelConfig& config);

// transformers' additive mask: 0 where attended, the lowest float where padded; [batch, 1, 1, sequence].
torch::Tensor AdditiveAttentionMask(const torch::Tensor& attention_mask);
// The mean of `hidden` [batch, sequence, hidden] over the real tokens (attention_mask 1) -> [batch, hidden], as
// sentence-transformers' mean pooling computes it (the token count clamped at 1e-9).
torch::Tensor MeanPool(const torch::Tensor& hidden, const torch::Tensor& attention_mask);
// hidden_act of the config: "gelu" (erf), "gelu_new"/"gelu_pytorch_tanh" (tanh approximation), "relu".
torch::Tensor Activation(const std::string& name, const torch::Tensor& x);
// transformers' _init_weights: Linear/Embedding normal(0, std), biases 0, padding row 0, LayerNorm 1/0.
void InitialiseLikeTransformers(torch::nn::Module& module, double stddev);

// The head follows config.pooling (unset: kCls); with kMean there is no pooler / pre_classifier.
std::shared_ptr<SequenceClassifierModule> MakeBertClassifier(const checkpoint::ModelConfig& config,
                                                             std::size_t num_labels);
std::shared_ptr<SequenceClassifierModule> MakeDistilBertClassifier(const checkpoint::ModelConfig& config,
                                                                   std::size_t num_labels);

}  // namespace fastintent::train
