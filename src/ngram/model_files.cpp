#include "model_files.h"

#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fastintent/common/error.h"

namespace fastintent::ngram::detail {
namespace {

static_assert(std::endian::native == std::endian::little, "weights.bin is little-endian float32");

nlohmann::json OptionsToJson(const NgramOptions& o) {
  return {{"word_ngram_range", {o.word_min_n, o.word_max_n}},
          {"char_wb_ngram_range", {o.char_min_n, o.char_max_n}},
          {"min_df", o.min_df},
          {"C", o.c},
          {"tolerance", o.tolerance},
          {"solver", o.dual ? "L2R_LR_DUAL" : "L2R_LR"},
          {"lowercase", true},
          {"sublinear_tf", true},
          {"smooth_idf", true},
          {"norm", "l2"}};
}

NgramOptions OptionsFromJson(const nlohmann::json& j) {
  NgramOptions o;
  o.word_min_n = j.at("word_ngram_range").at(0).get<std::size_t>();
  o.word_max_n = j.at("word_ngram_range").at(1).get<std::size_t>();
  o.char_min_n = j.at("char_wb_ngram_range").at(0).get<std::size_t>();
  o.char_max_n = j.at("char_wb_ngram_range").at(1).get<std::size_t>();
  o.min_df = j.at("min_df").get<std::size_t>();
  o.c = j.at("C").get<double>();
  o.tolerance = j.at("tolerance").get<double>();
  o.dual = j.at("solver").get<std::string>() == "L2R_LR_DUAL";
  return o;
}

void WriteText(const std::filesystem::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary);
  out << content;
  if (!out) throw IoError("cannot write " + file.string());
}

std::string ReadText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot open " + file.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

void WriteModelFiles(const std::filesystem::path& dir, const StoredModel& model) {
  nlohmann::json config;
  config["model_type"] = kModelType;
  config["format_version"] = 1;
  nlohmann::json id2label = nlohmann::json::object(), label2id = nlohmann::json::object();
  for (std::size_t i = 0; i < model.labels.size(); ++i) {
    id2label[std::to_string(i)] = model.labels[i];
    label2id[model.labels[i]] = i;
  }
  config["id2label"] = id2label;
  config["label2id"] = label2id;
  config["num_labels"] = model.labels.size();
  config["ngram"] = OptionsToJson(model.options);
  config["word_features"] = model.word.terms.size();
  config["char_features"] = model.chars.terms.size();
  config["weights"] = {{"file", "weights.bin"}, {"dtype", "float32-le"},
                       {"shape", {model.word.terms.size() + model.chars.terms.size() + 1, model.labels.size()}}};
  WriteText(dir / "config.json", config.dump(2) + "\n");

  std::string features;
  char number[64];
  auto append_block = [&](const TfidfBlock& block, const char* tag) {
    for (std::size_t i = 0; i < block.terms.size(); ++i) {
      auto [end, ec] = std::to_chars(number, number + sizeof number, block.idf[i]);  // shortest round-trip form
      (void)ec;
      features.append(tag).append("\t").append(block.terms[i]).append("\t").append(number, end).append("\n");
    }
  };
  append_block(model.word, "w");
  append_block(model.chars, "c");
  WriteText(dir / "features.tsv", features);

  std::ofstream weights(dir / "weights.bin", std::ios::binary);
  weights.write(reinterpret_cast<const char*>(model.weights.data()),
                static_cast<std::streamsize>(model.weights.size() * sizeof(float)));
  if (!weights) throw IoError("cannot write " + (dir / "weights.bin").string());
}

StoredModel ReadModelFiles(const std::filesystem::path& dir) {
  StoredModel model;
  const auto config_file = dir / "config.json";
  if (!std::filesystem::exists(config_file)) {
    throw IoError("n-gram model: " + config_file.string() + " does not exist (expected a model directory made by "
                  "`fastintent train --arch ngram`)");
  }
  try {
    const auto config = nlohmann::json::parse(ReadText(config_file));
    const auto type = config.value("model_type", std::string());
    if (type != kModelType) {
      throw InvalidInput(config_file.string() + ": model_type: got \"" + type + "\", expected \"" + kModelType + "\"");
    }
    model.options = OptionsFromJson(config.at("ngram"));
    const auto count = config.at("num_labels").get<std::size_t>();
    for (std::size_t i = 0; i < count; ++i) {
      model.labels.push_back(config.at("id2label").at(std::to_string(i)).get<std::string>());
    }
  } catch (const nlohmann::json::exception& error) {
    throw InvalidInput(config_file.string() + ": " + error.what());
  }
  if (model.labels.size() < 2) {
    throw InvalidInput(config_file.string() + ": got " + std::to_string(model.labels.size()) + " labels, expected >= 2");
  }

  const auto features_file = dir / "features.tsv";
  std::istringstream features(ReadText(features_file));
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(features, line)) {
    ++line_number;
    const auto first_tab = line.find('\t');
    const auto last_tab = line.rfind('\t');
    double idf = 0;
    const char* idf_begin = line.data() + (last_tab == std::string::npos ? 0 : last_tab + 1);
    auto parsed = std::from_chars(idf_begin, line.data() + line.size(), idf);
    if (first_tab == std::string::npos || first_tab == last_tab || parsed.ec != std::errc() ||
        parsed.ptr != line.data() + line.size() || (line.substr(0, first_tab) != "w" && line.substr(0, first_tab) != "c")) {
      throw InvalidInput(features_file.string() + ":" + std::to_string(line_number) +
                         ": expected \"w|c<TAB>term<TAB>idf\"");
    }
    auto term = line.substr(first_tab + 1, last_tab - first_tab - 1);
    (line[0] == 'w' ? model.word : model.chars).Add(std::move(term), idf);
  }

  const auto weights_file = dir / "weights.bin";
  const std::string bytes = ReadText(weights_file);
  const std::size_t expected =
      (model.word.terms.size() + model.chars.terms.size() + 1) * model.labels.size() * sizeof(float);
  if (bytes.size() != expected) {
    throw InvalidInput(weights_file.string() + ": got " + std::to_string(bytes.size()) + " bytes, expected " +
                       std::to_string(expected) + " ((features + 1) x classes float32)");
  }
  model.weights.resize(bytes.size() / sizeof(float));
  std::memcpy(model.weights.data(), bytes.data(), bytes.size());
  return model;
}

}  // namespace fastintent::ngram::detail
