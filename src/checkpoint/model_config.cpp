// config.json in the two Hugging Face key layouts we read and write:
//   BERT:       hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, type_vocab_size,
//               layer_norm_eps, hidden_act
//   DistilBERT: dim, n_layers, n_heads, hidden_dim, activation (no token types, LayerNorm eps fixed at 1e-12)
// The layout is chosen by "model_type" (or, when absent, by "architectures").
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

using nlohmann::json;

std::string Where(const std::filesystem::path& file, const std::string& key) {
  return file.string() + ": field \"" + key + "\"";
}

std::size_t RequireCount(const json& root, const std::string& key, const std::filesystem::path& file,
                         bool allow_zero = false) {
  if (!root.contains(key)) throw InvalidInput(Where(file, key) + " is missing");
  const json& value = root.at(key);
  if (!value.is_number_integer() || value.get<long long>() < (allow_zero ? 0 : 1)) {
    throw InvalidInput(Where(file, key) + ": got " + value.dump() + ", expected " +
                       (allow_zero ? "a non-negative integer" : "a positive integer"));
  }
  return static_cast<std::size_t>(value.get<long long>());
}

std::size_t OptionalCount(const json& root, const std::string& key, std::size_t fallback,
                          const std::filesystem::path& file) {
  if (!root.contains(key) || root.at(key).is_null()) return fallback;
  return RequireCount(root, key, file, /*allow_zero=*/true);
}

std::string OptionalString(const json& root, const std::string& key, const std::string& fallback,
                           const std::filesystem::path& file) {
  if (!root.contains(key) || root.at(key).is_null()) return fallback;
  if (!root.at(key).is_string()) {
    throw InvalidInput(Where(file, key) + ": got " + root.at(key).dump() + ", expected a string");
  }
  return root.at(key).get<std::string>();
}

Architecture DetectArchitecture(const json& root, const std::filesystem::path& file) {
  std::string model_type = OptionalString(root, "model_type", "", file);
  if (model_type.empty() && root.contains("architectures") && root.at("architectures").is_array() &&
      !root.at("architectures").empty() && root.at("architectures").front().is_string()) {
    const std::string first = root.at("architectures").front().get<std::string>();
    if (first.rfind("DistilBert", 0) == 0) model_type = "distilbert";
    else if (first.rfind("Bert", 0) == 0) model_type = "bert";
    else model_type = first;
  }
  if (model_type == "bert") return Architecture::kBert;
  if (model_type == "distilbert") return Architecture::kDistilBert;
  throw InvalidInput(Where(file, "model_type") + ": got \"" + model_type +
                     "\", expected \"bert\" or \"distilbert\" (unsupported architecture)");
}

// id2label is a JSON object {"0": "name", ...}; ids must be exactly 0..n-1.
std::vector<std::string> ReadLabels(const json& root, const std::filesystem::path& file) {
  if (!root.contains("id2label") || root.at("id2label").is_null()) return {};
  const json& id2label = root.at("id2label");
  if (!id2label.is_object()) {
    throw InvalidInput(Where(file, "id2label") + ": got " + id2label.type_name() + ", expected an object");
  }
  std::vector<std::string> labels(id2label.size());
  std::vector<bool> seen(id2label.size(), false);
  for (const auto& [key, value] : id2label.items()) {
    std::size_t consumed = 0;
    long long id = -1;
    try {
      id = std::stoll(key, &consumed);
    } catch (const std::exception&) {
      consumed = 0;
    }
    if (consumed != key.size() || id < 0 || static_cast<std::size_t>(id) >= labels.size()) {
      throw InvalidInput(Where(file, "id2label") + ": got key \"" + key + "\", expected an integer in [0, " +
                         std::to_string(labels.size()) + ")");
    }
    if (!value.is_string()) {
      throw InvalidInput(Where(file, "id2label") + "[\"" + key + "\"]: got " + value.dump() + ", expected a string");
    }
    if (seen[static_cast<std::size_t>(id)]) {
      throw InvalidInput(Where(file, "id2label") + ": id " + std::to_string(id) + " appears twice");
    }
    seen[static_cast<std::size_t>(id)] = true;
    labels[static_cast<std::size_t>(id)] = value.get<std::string>();
  }
  if (root.contains("label2id") && root.at("label2id").is_object()) {
    for (const auto& [name, id] : root.at("label2id").items()) {
      if (!id.is_number_integer() || id.get<long long>() < 0 ||
          static_cast<std::size_t>(id.get<long long>()) >= labels.size() ||
          labels[static_cast<std::size_t>(id.get<long long>())] != name) {
        throw InvalidInput(Where(file, "label2id") + "[\"" + name + "\"]: got " + id.dump() +
                           ", which disagrees with id2label");
      }
    }
  }
  return labels;
}

json ParseFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(file.string() + ": cannot open config (does the checkpoint directory exist?)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  json root;
  try {
    root = json::parse(buffer.str());
  } catch (const json::exception& error) {  // parse_error, and out_of_range for a number that overflows
    throw InvalidInput(file.string() + ": malformed JSON: " + error.what());
  }
  if (!root.is_object()) {
    throw InvalidInput(file.string() + ": got a JSON " + std::string(root.type_name()) + ", expected an object");
  }
  return root;
}

}  // namespace

ModelConfig ReadModelConfig(const std::filesystem::path& config_json) {
  const json root = ParseFile(config_json);
  ModelConfig config;
  config.architecture = DetectArchitecture(root, config_json);
  config.vocab_size = RequireCount(root, "vocab_size", config_json);
  config.max_position_embeddings = OptionalCount(root, "max_position_embeddings", 512, config_json);
  config.pad_token_id = OptionalCount(root, "pad_token_id", 0, config_json);
  if (config.architecture == Architecture::kBert) {
    config.hidden_size = RequireCount(root, "hidden_size", config_json);
    config.num_layers = RequireCount(root, "num_hidden_layers", config_json);
    config.num_heads = RequireCount(root, "num_attention_heads", config_json);
    config.intermediate_size = RequireCount(root, "intermediate_size", config_json);
    config.type_vocab_size = OptionalCount(root, "type_vocab_size", 2, config_json);
    config.hidden_act = OptionalString(root, "hidden_act", "gelu", config_json);
    if (root.contains("layer_norm_eps")) {
      if (!root.at("layer_norm_eps").is_number() || root.at("layer_norm_eps").get<double>() <= 0) {
        throw InvalidInput(Where(config_json, "layer_norm_eps") + ": got " + root.at("layer_norm_eps").dump() +
                           ", expected a positive number");
      }
      config.layer_norm_eps = root.at("layer_norm_eps").get<double>();
    }
    const std::string position_type = OptionalString(root, "position_embedding_type", "absolute", config_json);
    if (position_type != "absolute") {
      throw InvalidInput(Where(config_json, "position_embedding_type") + ": got \"" + position_type +
                         "\", expected \"absolute\" (unsupported architecture)");
    }
  } else {
    config.hidden_size = RequireCount(root, "dim", config_json);
    config.num_layers = RequireCount(root, "n_layers", config_json);
    config.num_heads = RequireCount(root, "n_heads", config_json);
    config.intermediate_size = RequireCount(root, "hidden_dim", config_json);
    config.type_vocab_size = 0;
    config.layer_norm_eps = 1e-12;  // DistilBERT hard-codes eps=1e-12 in its LayerNorms
    config.hidden_act = OptionalString(root, "activation", "gelu", config_json);
    // sinusoidal_pos_embds needs nothing here: the table is stored as position_embeddings.weight either way.
  }
  if (config.hidden_size % config.num_heads != 0) {
    throw InvalidInput(config_json.string() + ": hidden size " + std::to_string(config.hidden_size) +
                       " is not divisible by the number of heads " + std::to_string(config.num_heads));
  }
  if (config.hidden_act != "gelu" && config.hidden_act != "relu" && config.hidden_act != "gelu_new" &&
      config.hidden_act != "gelu_pytorch_tanh") {
    throw InvalidInput(Where(config_json, config.architecture == Architecture::kBert ? "hidden_act" : "activation") +
                       ": got \"" + config.hidden_act + "\", expected gelu, gelu_new, gelu_pytorch_tanh or relu");
  }
  config.labels = ReadLabels(root, config_json);
  if (root.contains("fallback_threshold") && !root.at("fallback_threshold").is_null()) {
    const json& threshold = root.at("fallback_threshold");
    if (!threshold.is_number() || threshold.get<double>() < 0 || threshold.get<double>() > 1) {
      throw InvalidInput(Where(config_json, "fallback_threshold") + ": got " + threshold.dump() +
                         ", expected a number in [0, 1]");
    }
    config.fallback_threshold = threshold.get<double>();
  }
  return config;
}

void WriteModelConfig(const ModelConfig& config, const std::filesystem::path& config_json) {
  json root = json::object();
  const bool bert = config.architecture == Architecture::kBert;
  const bool classifier = !config.labels.empty();
  root["model_type"] = bert ? "bert" : "distilbert";
  root["architectures"] = json::array(
      {bert ? (classifier ? "BertForSequenceClassification" : "BertModel")
            : (classifier ? "DistilBertForSequenceClassification" : "DistilBertModel")});
  root["vocab_size"] = config.vocab_size;
  root["max_position_embeddings"] = config.max_position_embeddings;
  root["pad_token_id"] = config.pad_token_id;
  if (bert) {
    root["hidden_size"] = config.hidden_size;
    root["num_hidden_layers"] = config.num_layers;
    root["num_attention_heads"] = config.num_heads;
    root["intermediate_size"] = config.intermediate_size;
    root["type_vocab_size"] = config.type_vocab_size;
    root["layer_norm_eps"] = config.layer_norm_eps;
    root["hidden_act"] = config.hidden_act;
    root["position_embedding_type"] = "absolute";
  } else {
    root["dim"] = config.hidden_size;
    root["n_layers"] = config.num_layers;
    root["n_heads"] = config.num_heads;
    root["hidden_dim"] = config.intermediate_size;
    root["activation"] = config.hidden_act;
    root["sinusoidal_pos_embds"] = false;
  }
  if (classifier) {
    json id2label = json::object();
    json label2id = json::object();
    for (std::size_t id = 0; id < config.labels.size(); ++id) {
      id2label[std::to_string(id)] = config.labels[id];
      label2id[config.labels[id]] = id;
    }
    root["id2label"] = id2label;
    root["label2id"] = label2id;
    root["problem_type"] = "single_label_classification";
  }
  if (config.fallback_threshold) root["fallback_threshold"] = *config.fallback_threshold;

  std::ofstream out(config_json, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(config_json.string() + ": cannot open for writing");
  out << root.dump(2) << '\n';
  out.flush();
  if (!out) throw IoError(config_json.string() + ": write failed");
}

}  // namespace fastintent::checkpoint
