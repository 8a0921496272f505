// config.json in the two Hugging Face key layouts we read and write:
//   BERT:       hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, type_vocab_size,
//               layer_norm_eps, hidden_act
//   DistilBERT: dim, n_layers, n_heads, hidden_dim, activation (no token types, LayerNorm eps fixed at 1e-12)
// The layout is chosen by "model_type" (or, when absent, by "architectures").
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <variant>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/checkpoint/classifier_settings.h"
#include "fastintent/checkpoint/config_json.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {

using nlohmann::json;

namespace {

Architecture DetectArchitecture(const ConfigView& root) {
  std::string model_type = root.StringOr("model_type", "");
  if (model_type.empty()) {
    if (const auto first = root.FirstString("architectures")) {
      if (first->rfind("DistilBert", 0) == 0)
        model_type = "distilbert";
      else if (first->rfind("Bert", 0) == 0)
        model_type = "bert";
      else
        model_type = *first;
    }
  }
  if (model_type == "bert") return Architecture::kBert;
  if (model_type == "distilbert") return Architecture::kDistilBert;
  throw InvalidInput(root.Where("model_type") + ": got \"" + model_type +
                     "\", expected \"bert\" or \"distilbert\" (unsupported architecture)");
}

}  // namespace

std::string PoolingName(Pooling pooling) { return pooling == Pooling::kMean ? "mean" : "cls"; }

ModelConfig ReadModelConfig(const std::filesystem::path& config_json) {
  const ConfigView root = ConfigView::Read(config_json);
  ModelConfig config;
  config.architecture = DetectArchitecture(root);
  config.vocab_size = root.RequireCount("vocab_size");
  config.max_position_embeddings = root.Count("max_position_embeddings", /*allow_zero=*/true).value_or(512);
  config.pad_token_id = root.Count("pad_token_id", /*allow_zero=*/true).value_or(0);
  if (config.architecture == Architecture::kBert) {
    config.hidden_size = root.RequireCount("hidden_size");
    config.num_layers = root.RequireCount("num_hidden_layers");
    config.num_heads = root.RequireCount("num_attention_heads");
    config.intermediate_size = root.RequireCount("intermediate_size");
    config.type_vocab_size = root.Count("type_vocab_size", /*allow_zero=*/true).value_or(2);
    config.hidden_act = root.StringOr("hidden_act", "gelu");
    if (const auto eps = root.Number("layer_norm_eps")) {
      if (*eps <= 0) {
        throw InvalidInput(root.Where("layer_norm_eps") + ": got " + std::to_string(*eps) +
                           ", expected a positive number");
      }
      config.layer_norm_eps = *eps;
    }
    const std::string position_type = root.StringOr("position_embedding_type", "absolute");
    if (position_type != "absolute") {
      throw InvalidInput(root.Where("position_embedding_type") + ": got \"" + position_type +
                         "\", expected \"absolute\" (unsupported architecture)");
    }
  } else {
    config.hidden_size = root.RequireCount("dim");
    config.num_layers = root.RequireCount("n_layers");
    config.num_heads = root.RequireCount("n_heads");
    config.intermediate_size = root.RequireCount("hidden_dim");
    config.type_vocab_size = 0;
    config.layer_norm_eps = 1e-12;  // DistilBERT hard-codes eps=1e-12 in its LayerNorms
    config.hidden_act = root.StringOr("activation", "gelu");
    // sinusoidal_pos_embds needs nothing here: the table is stored as position_embeddings.weight either way.
  }
  if (config.hidden_size % config.num_heads != 0) {
    throw InvalidInput(config_json.string() + ": hidden size " + std::to_string(config.hidden_size) +
                       " is not divisible by the number of heads " + std::to_string(config.num_heads));
  }
  if (config.hidden_act != "gelu" && config.hidden_act != "relu" && config.hidden_act != "gelu_new" &&
      config.hidden_act != "gelu_pytorch_tanh") {
    throw InvalidInput(root.Where(config.architecture == Architecture::kBert ? "hidden_act" : "activation") +
                       ": got \"" + config.hidden_act + "\", expected gelu, gelu_new, gelu_pytorch_tanh or relu");
  }
  config.labels = root.Labels();
  static_cast<ClassifierSettings&>(config) = ReadClassifierSettings(root, config.labels.size());
  if (const auto pooling = root.String("fastintent_pooling")) {
    if (*pooling == "cls") {
      config.pooling = Pooling::kCls;
    } else if (*pooling == "mean") {
      config.pooling = Pooling::kMean;
    } else {
      throw InvalidInput(root.Where("fastintent_pooling") + ": got \"" + *pooling + "\", expected \"cls\" or \"mean\"");
    }
  }
  return config;
}

void WriteModelConfig(const ModelConfig& config, const std::filesystem::path& config_json) {
  json root = json::object();
  const bool bert = config.architecture == Architecture::kBert;
  const bool classifier = !config.labels.empty();
  root["model_type"] = bert ? "bert" : "distilbert";
  root["architectures"] =
      json::array({bert ? (classifier ? "BertForSequenceClassification" : "BertModel")
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
  }
  if (config.pooling) root["fastintent_pooling"] = PoolingName(*config.pooling);
  if (classifier) {
    for (const ConfigUpdate& update : ClassifierSettingsUpdates(config)) {
      std::visit(
          [&](const auto& value) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(value)>, std::monostate>) root[update.key] = value;
          },
          update.value);
    }
  } else if (!config.input_prefix.empty()) {
    root["fastintent_input_prefix"] = config.input_prefix;
  }

  std::ofstream out(config_json, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(config_json.string() + ": cannot open for writing");
  out << root.dump(2) << '\n';
  out.flush();
  if (!out) throw IoError(config_json.string() + ": write failed");
}

}  // namespace fastintent::checkpoint
