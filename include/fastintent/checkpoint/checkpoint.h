#pragma once
// fastintent_checkpoint: Hugging Face checkpoint directories without libtorch: config.json (BERT and
// DistilBERT key layouts, sentence-transformers directories) and model.safetensors (F32/F16/BF16 read,
// bounds-checked; F32 written). Used by export/quantize (torch-free) and by training (which converts to
// torch tensors). Only std types here.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/checkpoint/classifier_settings.h"

namespace fastintent::checkpoint {

enum class Architecture { kBert, kDistilBert };

// How the classification head reads the encoder's last hidden states.
enum class Pooling {
  kCls,   // the first token: BERT's pooler (dense + tanh) / DistilBERT's pre_classifier (+ ReLU), then the
          // classifier, as transformers' *ForSequenceClassification do
  kMean,  // the mean over real tokens (attention mask 1), then the classifier: how e5 and sentence-transformers
          // encoders were trained (they have no trained pooler)
};
std::string PoolingName(Pooling pooling);  // "cls" / "mean"

// The architecture of a checkpoint, and (inherited) fastintent's classifier settings.
struct ModelConfig : ClassifierSettings {
  Architecture architecture = Architecture::kBert;
  std::size_t hidden_size = 0;
  std::size_t num_layers = 0;
  std::size_t num_heads = 0;
  std::size_t intermediate_size = 0;
  std::size_t vocab_size = 0;
  std::size_t max_position_embeddings = 512;
  std::size_t type_vocab_size = 2;  // 0 for DistilBERT
  double layer_norm_eps = 1e-12;
  std::string hidden_act = "gelu";
  std::size_t pad_token_id = 0;
  std::vector<std::string> labels;  // id2label, index = class id; empty for a bare encoder
  // fastintent extension (config key "fastintent_pooling"). Unset = not said by the file: a classifier then pools
  // as transformers does (kCls); training picks it from the weights.
  std::optional<Pooling> pooling;
};

ModelConfig ReadModelConfig(const std::filesystem::path& config_json);
void WriteModelConfig(const ModelConfig& config, const std::filesystem::path& config_json);

// A tensor in float32, row-major, converted from its stored dtype.
struct Tensor {
  std::vector<std::int64_t> shape;
  std::vector<float> data;
  std::size_t numel() const { return data.size(); }
};

// All tensors of a model.safetensors, keyed by their stored names (as transformers wrote them).
using TensorMap = std::map<std::string, Tensor>;
TensorMap ReadSafetensors(const std::filesystem::path& file);
void WriteSafetensors(const TensorMap& tensors, const std::filesystem::path& file);

// Canonical weight names: "bert.*"/"distilbert.*" plus "classifier.*" (and "pre_classifier.*" for
// DistilBERT). A sentence-transformers or bare-encoder checkpoint (keys without the "bert." prefix) is
// renamed to this form.
// Buffers (*.position_ids) and pretraining heads (cls.*, vocab_*) are dropped; LayerNorm.gamma/beta are
// renamed to weight/bias.
TensorMap CanonicalWeights(TensorMap tensors, Architecture architecture);

// A checkpoint directory: DIR/config.json plus DIR/model.safetensors, weights already canonical.
struct Checkpoint {
  ModelConfig config;
  TensorMap weights;
};
Checkpoint ReadCheckpoint(const std::filesystem::path& directory);

}  // namespace fastintent::checkpoint
