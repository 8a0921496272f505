#include "stored_model.h"

#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

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

// [min, max] of an n-gram range: two non-negative integers.
std::pair<std::size_t, std::size_t> RangeFrom(const checkpoint::ConfigView& block, const char* key) {
  const auto values = block.Numbers(key);
  if (!values || values->size() != 2 || (*values)[0] < 0 || (*values)[1] < 0 ||
      (*values)[0] != static_cast<double>(static_cast<std::size_t>((*values)[0])) ||
      (*values)[1] != static_cast<double>(static_cast<std::size_t>((*values)[1]))) {
    throw InvalidInput(block.Where(key) + ": expected [min, max], two non-negative integers");
  }
  return {static_cast<std::size_t>((*values)[0]), static_cast<std::size_t>((*values)[1])};
}

NgramOptions OptionsFrom(const checkpoint::ConfigView& block) {
  NgramOptions o;
  std::tie(o.word_min_n, o.word_max_n) = RangeFrom(block, "word_ngram_range");
  std::tie(o.char_min_n, o.char_max_n) = RangeFrom(block, "char_wb_ngram_range");
  o.min_df = block.RequireCount("min_df", /*allow_zero=*/true);
  const auto required_number = [&](const char* key) {
    const auto value = block.Number(key);
    if (!value) throw InvalidInput(block.Where(key) + " is missing");
    return *value;
  };
  o.c = required_number("C");
  o.tolerance = required_number("tolerance");
  const auto solver = block.String("solver");
  if (!solver || (*solver != "L2R_LR" && *solver != "L2R_LR_DUAL")) {
    throw InvalidInput(block.Where("solver") + ": expected \"L2R_LR\" or \"L2R_LR_DUAL\"");
  }
  o.dual = *solver == "L2R_LR_DUAL";
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
  config["model_type"] = checkpoint::kNgramModelType;
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
  // A multi-label model's labels are scored independently (a sigmoid each): the key every engine reads.
  if (model.options.multi_label) config["problem_type"] = "multi_label_classification";
  if (!model.label_thresholds.empty()) config["fastintent_label_thresholds"] = model.label_thresholds;
  config["word_features"] = model.word.terms.size();
  config["char_features"] = model.chars.terms.size();
  config["weights"] = {{"file", "weights.bin"},
                       {"dtype", "float32-le"},
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

StoredModel ReadModelFiles(const checkpoint::ModelDirectory& model_dir) {
  const std::filesystem::path& dir = model_dir.dir;
  const std::string config_file = model_dir.config_file().string();
  if (model_dir.kind != checkpoint::ModelKind::kNgram) {
    throw InvalidInput(config_file + ": model_type: got \"" + model_dir.model_type + "\", expected \"" +
                       checkpoint::kNgramModelType + "\" (a model directory made by `fastintent train --arch ngram`)");
  }
  StoredModel model;
  model.options = OptionsFrom(model_dir.config->RequireObject("ngram"));
  model.labels = model_dir.labels;
  if (model.labels.size() < 2) {
    throw InvalidInput(config_file + ": got " + std::to_string(model.labels.size()) + " labels, expected >= 2");
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
        parsed.ptr != line.data() + line.size() ||
        (line.substr(0, first_tab) != "w" && line.substr(0, first_tab) != "c")) {
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

std::vector<double> DecisionValues(const SparseVector& features, const std::vector<float>& weights, std::size_t classes,
                                   std::size_t feature_count) {
  std::vector<double> decision(classes);
  for (std::size_t c = 0; c < classes; ++c) decision[c] = weights[feature_count * classes + c];
  for (const auto& entry : features) {
    const float* row = weights.data() + static_cast<std::size_t>(entry.index) * classes;
    for (std::size_t c = 0; c < classes; ++c) decision[c] += entry.value * static_cast<double>(row[c]);
  }
  return decision;
}

}  // namespace fastintent::ngram::detail
