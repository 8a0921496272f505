#pragma once
// Reads a reference.json written by tools/fixtures/make_runtime_fixtures.py or export_minilm.py:
// {"texts": [...], "models": {"<name>": {"logits": [[...]], "ids": [[...]], "truncated": [...]}}}.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace fastintent::runtime::testing {

struct ReferenceModel {
  std::vector<std::vector<float>> logits;
  std::vector<std::vector<std::int64_t>> ids;
  std::vector<bool> truncated;
};

struct Reference {
  std::vector<std::string> texts;
  std::map<std::string, ReferenceModel> models;
};

inline Reference ReadReference(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  const auto json = nlohmann::json::parse(in);
  Reference reference;
  reference.texts = json.at("texts").get<std::vector<std::string>>();
  for (const auto& [name, model] : json.at("models").items()) {
    ReferenceModel m;
    m.logits = model.at("logits").get<std::vector<std::vector<float>>>();
    m.ids = model.at("ids").get<std::vector<std::vector<std::int64_t>>>();
    m.truncated = model.at("truncated").get<std::vector<bool>>();
    reference.models[name] = std::move(m);
  }
  return reference;
}

inline float MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return 1e30f;
  float worst = 0.0f;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

}  // namespace fastintent::runtime::testing
