#include "fastintent/checkpoint/model_shape.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

using nlohmann::json;

std::size_t Positive(const json& entry, const char* key, const std::string& where, std::optional<std::size_t> fallback,
                     bool allow_zero = false) {
  if (!entry.contains(key)) {
    if (fallback) return *fallback;
    throw InvalidInput(where + ": key \"" + key + "\" is missing");
  }
  const json& value = entry.at(key);
  if (!value.is_number_integer() || value.get<std::int64_t>() < (allow_zero ? 0 : 1)) {
    throw InvalidInput(where + ": \"" + key + "\" got " + value.dump() + ", expected a " +
                       (allow_zero ? "non-negative" : "positive") + " integer");
  }
  return value.get<std::size_t>();
}

std::string StringOr(const json& entry, const char* key, const std::string& where, const std::string& fallback) {
  if (!entry.contains(key)) return fallback;
  const json& value = entry.at(key);
  if (!value.is_string()) throw InvalidInput(where + ": \"" + key + "\" got " + value.dump() + ", expected a string");
  return value.get<std::string>();
}

ModelConfig FromEntry(const json& entry, const std::string& where) {
  if (!entry.is_object()) throw InvalidInput(where + ": got " + entry.dump() + ", expected an object");
  ModelConfig config;
  const std::string family = StringOr(entry, "family", where, "bert");
  if (family == "bert") {
    config.architecture = Architecture::kBert;
  } else if (family == "distilbert") {
    config.architecture = Architecture::kDistilBert;
  } else {
    throw InvalidInput(where + ": \"family\" got \"" + family + "\", expected \"bert\" or \"distilbert\"");
  }
  const bool bert = config.architecture == Architecture::kBert;
  config.hidden_size = Positive(entry, "hidden", where, std::nullopt);
  config.num_layers = Positive(entry, "layers", where, std::nullopt);
  config.num_heads = Positive(entry, "heads", where, std::nullopt);
  config.intermediate_size = Positive(entry, "intermediate", where, std::nullopt);
  config.vocab_size = Positive(entry, "vocab", where, std::nullopt);
  config.max_position_embeddings = Positive(entry, "max_positions", where, std::size_t{512});
  config.type_vocab_size = Positive(entry, "type_vocab", where, std::size_t{bert ? 2u : 0u}, /*allow_zero=*/true);
  if (bert && config.type_vocab_size == 0) config.type_vocab_size = 1;
  if (!bert) config.type_vocab_size = 0;
  if (config.hidden_size % config.num_heads != 0) {
    throw InvalidInput(where + ": hidden " + std::to_string(config.hidden_size) + " is not a multiple of heads " +
                       std::to_string(config.num_heads));
  }
  return config;
}

json ParseShapeFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw IoError("cannot read model shape file " + file.string());
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw InvalidInput(file.string() + ": not valid JSON: " + e.what());
  }
}

bool HasModelList(const json& root) { return root.is_object() && root.contains("models"); }

}  // namespace

ModelConfig ReadModelShape(const std::filesystem::path& file, const std::string& model_name) {
  const json root = ParseShapeFile(file);
  if (!HasModelList(root)) return FromEntry(root, file.string());
  const json& models = root.at("models");
  std::string names;
  if (models.is_array()) {
    for (const json& entry : models) {
      const std::string name = entry.is_object() ? StringOr(entry, "name", file.string(), "") : std::string();
      if (!model_name.empty() && name == model_name) return FromEntry(entry, file.string() + " model " + name);
      names += (names.empty() ? "" : ", ") + name;
    }
  }
  throw InvalidInput(file.string() + ": model name got \"" + model_name + "\", expected one of: " + names);
}

std::vector<NamedModelShape> ReadModelShapes(const std::filesystem::path& file) {
  const json root = ParseShapeFile(file);
  if (!HasModelList(root)) return {NamedModelShape{"", FromEntry(root, file.string())}};
  const json& models = root.at("models");
  if (!models.is_array())
    throw InvalidInput(file.string() + ": \"models\" got " + models.dump() + ", expected an array");
  std::vector<NamedModelShape> shapes;
  for (const json& entry : models) {
    if (!entry.is_object() || !entry.contains("name") || !entry.at("name").is_string()) {
      throw InvalidInput(file.string() + ": a \"models\" entry has no string \"name\"");
    }
    const std::string name = entry.at("name").get<std::string>();
    shapes.push_back(NamedModelShape{name, FromEntry(entry, file.string() + " model " + name)});
  }
  return shapes;
}

}  // namespace fastintent::checkpoint
