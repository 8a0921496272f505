#pragma once
// Reads what the engine needs from a Hugging Face / Optimum model directory: config.json (id2label,
// max_position_embeddings, optional fallback_threshold and name) and which .onnx file to load. Parsed
// here with nlohmann_json so the runtime does not depend on the checkpoint library.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/runtime/classifier.h"

namespace fastintent::runtime {

enum class ModelKind {
  kOnnx,   // a BERT-family graph: model.onnx / model_quantized.onnx with tokenizer files
  kNgram,  // config.json model_type "fastintent-ngram": features.tsv + weights.bin (fastintent_ngram)
};

struct ModelDirectory {
  ModelKind kind = ModelKind::kOnnx;
  std::filesystem::path dir;
  std::string name;
  std::vector<std::string> labels;                   // id2label, index = class id
  std::optional<std::size_t> max_position_embeddings;
  std::optional<double> fallback_threshold;
  std::filesystem::path model_file;                  // the .onnx file to load; weights.bin for kNgram
  bool quantized = false;                            // always false for kNgram (options.quantized is ignored:
                                                     // an n-gram model has one form)
};

// Throws IoError (missing directory/config/model file, unreadable file) or InvalidInput (config.json is
// not JSON, id2label missing or not the ids 0..N-1, a field of the wrong type), naming file and field.
ModelDirectory ReadModelDirectory(const std::filesystem::path& dir, const ClassifierOptions& options);

}  // namespace fastintent::runtime
