#pragma once
// A model directory as every area sees it: what config.json says the model is (its kind, name, labels,
// token limit, operator fallback threshold) read once with one set of rules (config_json.h). The runtime picks
// its engine from `kind`, the server its fallback threshold, the n-gram library its own block through
// `config`, export and training their architecture through ReadModelConfig. Torch- and ONNX-free.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/checkpoint/classifier_settings.h"
#include "fastintent/checkpoint/config_json.h"

namespace fastintent::checkpoint {

enum class ModelKind {
  kTransformer,  // a BERT-family encoder: model.onnx / model_quantized.onnx (or model.safetensors) + tokenizer files
  kNgram,        // config.json model_type "fastintent-ngram": features.tsv + weights.bin (fastintent_ngram)
  kEnsemble,     // config.json model_type "fastintent-ensemble": member model directories inside (ensemble_directory.h)
};

inline constexpr const char* kNgramModelType = "fastintent-ngram";
inline constexpr const char* kEnsembleModelType = "fastintent-ensemble";

// What every area reads of a model directory; fastintent's classifier settings are inherited.
struct ModelDirectory : ClassifierSettings {
  std::filesystem::path dir;
  ModelKind kind = ModelKind::kTransformer;
  std::string model_type;           // config "model_type" as written ("" when absent)
  std::string name;                 // config "fastintent_name", else the directory's name
  std::vector<std::string> labels;  // id2label, index = class id; never empty
  std::optional<std::size_t> max_position_embeddings;
  std::optional<ConfigView> config;  // the whole file, for keys only one area reads (always set once read)

  std::filesystem::path config_file() const { return dir / "config.json"; }
};

// Throws IoError (no such directory, no config.json, unreadable file) or InvalidInput (config.json is not a
// JSON object, no id2label or ids that are not 0..N-1, a field of the wrong type or range), naming file and
// field.
ModelDirectory ReadModelDirectory(const std::filesystem::path& dir);

}  // namespace fastintent::checkpoint
