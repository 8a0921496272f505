#include "fastintent/bench/model_shape.h"

#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

nlohmann::json ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw IoError("cannot open " + path.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInput(path.string() + ": not valid JSON: " + e.what());
  }
}

// The first of `keys` present in `object`, as a positive size.
std::size_t SizeField(const nlohmann::json& object, std::initializer_list<const char*> keys,
                      const std::filesystem::path& path, bool required = true, std::size_t fallback = 0) {
  for (const char* key : keys) {
    if (!object.contains(key)) continue;
    const auto& value = object.at(key);
    if (!value.is_number_integer() || value.get<long long>() < 0) {
      throw InvalidInput(path.string() + ": field '" + key + "' must be a non-negative integer, got " + value.dump());
    }
    return value.get<std::size_t>();
  }
  if (required) throw InvalidInput(path.string() + ": missing field '" + *keys.begin() + "'");
  return fallback;
}

ModelFamily ParseFamily(const std::string& text, const std::filesystem::path& path) {
  if (text == "bert") return ModelFamily::kBert;
  if (text == "distilbert") return ModelFamily::kDistilBert;
  throw InvalidInput(path.string() + ": model family/model_type '" + text + "', expected 'bert' or 'distilbert'");
}

}  // namespace

std::string FamilyName(ModelFamily family) { return family == ModelFamily::kDistilBert ? "distilbert" : "bert"; }

std::vector<ModelShape> LoadSeedShapes(const std::filesystem::path& path) {
  const nlohmann::json root = ReadJson(path);
  if (!root.contains("models") || !root.at("models").is_array()) {
    throw InvalidInput(path.string() + ": expected an array field 'models'");
  }
  std::vector<ModelShape> shapes;
  for (const auto& model : root.at("models")) {
    if (!model.contains("name") || !model.at("name").is_string()) {
      throw InvalidInput(path.string() + ": a 'models' entry has no string 'name'");
    }
    ModelShape shape;
    shape.name = model.at("name").get<std::string>();
    shape.family = ParseFamily(model.value("family", std::string("bert")), path);
    shape.hidden = SizeField(model, {"hidden"}, path);
    shape.layers = SizeField(model, {"layers"}, path);
    shape.heads = SizeField(model, {"heads"}, path);
    shape.intermediate = SizeField(model, {"intermediate"}, path);
    shape.vocab = SizeField(model, {"vocab"}, path);
    shape.max_positions = SizeField(model, {"max_positions"}, path, false, 512);
    shape.type_vocab = SizeField(model, {"type_vocab"}, path, false, 2);
    shapes.push_back(shape);
  }
  return shapes;
}

ModelShape LoadShapeFromConfig(const std::filesystem::path& path) {
  const nlohmann::json config = ReadJson(path);
  ModelShape shape;
  shape.name = path.parent_path().filename().string();
  shape.family = ParseFamily(config.value("model_type", std::string("bert")), path);
  shape.hidden = SizeField(config, {"hidden_size", "dim"}, path);
  shape.layers = SizeField(config, {"num_hidden_layers", "n_layers"}, path);
  shape.heads = SizeField(config, {"num_attention_heads", "n_heads"}, path);
  shape.intermediate = SizeField(config, {"intermediate_size", "hidden_dim"}, path);
  shape.vocab = SizeField(config, {"vocab_size"}, path);
  shape.max_positions = SizeField(config, {"max_position_embeddings"}, path, false, 512);
  shape.type_vocab = shape.family == ModelFamily::kDistilBert ? 0 : SizeField(config, {"type_vocab_size"}, path, false, 2);
  if (config.contains("id2label") && config.at("id2label").is_object() && !config.at("id2label").empty()) {
    shape.num_labels = config.at("id2label").size();
  }
  return shape;
}

}  // namespace fastintent::bench
