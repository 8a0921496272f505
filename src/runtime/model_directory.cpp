#include "model_directory.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fastintent/common/error.h"
#include "fastintent/ngram/ngram.h"

namespace fastintent::runtime {
namespace {

namespace fs = std::filesystem;

nlohmann::json ReadJson(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(file.string() + ": cannot open for reading");
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) throw InvalidInput(file.string() + ": not valid JSON");
  if (!json.is_object()) throw InvalidInput(file.string() + ": got " + std::string(json.type_name()) +
                                            ", expected a JSON object");
  return json;
}

std::vector<std::string> ReadLabels(const nlohmann::json& config, const fs::path& file) {
  const auto it = config.find("id2label");
  if (it == config.end()) {
    throw InvalidInput(file.string() + ": no 'id2label' field; a classification model names its labels there");
  }
  if (!it->is_object() || it->empty()) {
    throw InvalidInput(file.string() + ": field 'id2label': got " + it->dump() +
                       ", expected a non-empty object {\"0\": \"label\", ...}");
  }
  std::map<std::size_t, std::string> by_id;
  for (const auto& [key, value] : it->items()) {
    std::size_t consumed = 0;
    std::size_t id = 0;
    try {
      id = std::stoul(key, &consumed);
    } catch (const std::exception&) {
      consumed = 0;
    }
    if (consumed == 0 || consumed != key.size()) {
      throw InvalidInput(file.string() + ": field 'id2label': key '" + key + "' is not a class id (0, 1, ...)");
    }
    if (!value.is_string()) {
      throw InvalidInput(file.string() + ": field 'id2label." + key + "': got " + value.dump() +
                         ", expected a string");
    }
    by_id[id] = value.get<std::string>();
  }
  std::vector<std::string> labels;
  for (const auto& [id, label] : by_id) {
    if (id != labels.size()) {
      throw InvalidInput(file.string() + ": field 'id2label': class id " + std::to_string(labels.size()) +
                         " is missing (ids must be 0.." + std::to_string(by_id.size() - 1) + ")");
    }
    labels.push_back(label);
  }
  return labels;
}

std::optional<std::size_t> ReadSize(const nlohmann::json& config, const char* field, const fs::path& file) {
  const auto it = config.find(field);
  if (it == config.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<long long>() <= 0) {
    throw InvalidInput(file.string() + ": field '" + field + "': got " + it->dump() + ", expected a positive integer");
  }
  return it->get<std::size_t>();
}

std::string DirectoryName(const fs::path& dir) {
  fs::path absolute = fs::absolute(dir).lexically_normal();
  if (!absolute.has_filename()) absolute = absolute.parent_path();
  return absolute.filename().string();
}

}  // namespace

ModelDirectory ReadModelDirectory(const fs::path& dir, const ClassifierOptions& options) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw IoError(dir.string() + ": " + (fs::exists(dir, error) ? "not a directory" : "no such directory") +
                  "; expected a model directory with config.json, tokenizer files and model.onnx");
  }
  ModelDirectory model;
  model.dir = dir;
  const fs::path config_file = dir / "config.json";
  if (!fs::is_regular_file(config_file, error)) {
    throw IoError(config_file.string() + ": missing; a model directory needs config.json with id2label");
  }
  const nlohmann::json config = ReadJson(config_file);
  model.labels = ReadLabels(config, config_file);
  // DistilBERT names it the same; sentence-transformers configs too.
  model.max_position_embeddings = ReadSize(config, "max_position_embeddings", config_file);
  if (const auto it = config.find("fallback_threshold"); it != config.end() && !it->is_null()) {
    if (!it->is_number() || it->get<double>() < 0.0 || it->get<double>() > 1.0) {
      throw InvalidInput(config_file.string() + ": field 'fallback_threshold': got " + it->dump() +
                         ", expected a number in [0, 1]");
    }
    model.fallback_threshold = it->get<double>();
  }
  model.name = DirectoryName(dir);
  if (const auto it = config.find("fastintent_name"); it != config.end() && it->is_string()) {
    model.name = it->get<std::string>();
  }
  if (ngram::IsNgramModelDirectory(dir)) {
    model.kind = ModelKind::kNgram;
    model.model_file = dir / "weights.bin";
    if (!fs::is_regular_file(model.model_file, error)) {
      throw IoError(model.model_file.string() + ": missing; an n-gram model directory needs features.tsv and weights.bin");
    }
    return model;
  }
  model.quantized = options.quantized;
  if (options.model_file) {
    // A relative name is looked up inside the directory first, then as given (relative to the working dir).
    const fs::path inside = dir / *options.model_file;
    model.model_file = !options.model_file->is_absolute() && fs::exists(inside, error) ? inside : *options.model_file;
  } else {
    model.model_file = dir / (options.quantized ? "model_quantized.onnx" : "model.onnx");
  }
  if (!fs::is_regular_file(model.model_file, error)) {
    throw IoError(model.model_file.string() + ": missing" +
                  (options.quantized && !options.model_file
                       ? std::string("; quantize the model first (model_quantized.onnx) or drop --quantized")
                       : std::string("; expected an ONNX model file")));
  }
  return model;
}

}  // namespace fastintent::runtime
