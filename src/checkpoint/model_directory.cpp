#include "fastintent/checkpoint/model_directory.h"

#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

namespace fs = std::filesystem;

std::string DirectoryName(const fs::path& dir) {
  fs::path absolute = fs::absolute(dir).lexically_normal();
  if (!absolute.has_filename()) absolute = absolute.parent_path();
  return absolute.filename().string();
}

ConfigView ReadConfigOf(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw IoError(dir.string() + ": " + (fs::exists(dir, error) ? "not a directory" : "no such directory") +
                  "; expected a model directory with config.json, tokenizer files and model.onnx");
  }
  const fs::path config_file = dir / "config.json";
  if (!fs::is_regular_file(config_file, error)) {
    throw IoError(config_file.string() + ": missing; a model directory needs config.json with id2label");
  }
  return ConfigView::Read(config_file);
}

}  // namespace

ModelDirectory ReadModelDirectory(const fs::path& dir) {
  ModelDirectory model;
  model.dir = dir;
  model.config = ReadConfigOf(dir);
  const ConfigView& config = *model.config;
  model.model_type = config.StringOr("model_type", "");
  if (model.model_type == kNgramModelType) model.kind = ModelKind::kNgram;
  if (model.model_type == kEnsembleModelType) model.kind = ModelKind::kEnsemble;
  model.labels = config.Labels();
  if (model.labels.empty()) {
    throw InvalidInput(model.config_file().string() +
                       ": no 'id2label' field; a classification model names its labels there");
  }
  // DistilBERT names it the same; sentence-transformers configs too.
  model.max_position_embeddings = config.Count("max_position_embeddings");
  model.name = config.String("fastintent_name").value_or(DirectoryName(dir));
  static_cast<ClassifierSettings&>(model) = ReadClassifierSettings(config, model.labels.size());
  return model;
}

}  // namespace fastintent::checkpoint
