#pragma once
// Shared by the export/quantize tests: fixture paths, reference batches, logits comparison.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fastintent/export/model_files.h"
#include "fastintent/export/onnx_export.h"
#include "fastintent/runtime/classifier.h"

namespace fastintent::exporter::testing {

inline const std::filesystem::path kFixtures = FASTINTENT_EXPORT_FIXTURES;

// One padded batch of the reference: its rows without the padding (as the runtime takes them), and the logits
// transformers gave for the padded batch.
struct ReferenceBatch {
  std::vector<std::string> raw_texts;       // the texts as a user sends them (the ids include any input prefix)
  std::vector<runtime::PreparedText> texts;
  std::vector<std::vector<float>> logits;
};

// An .onnx file of an exported model directory, loaded by the engine that serves it; optimize false runs the
// graph as written (ORT_DISABLE_ALL).
inline std::shared_ptr<const runtime::Classifier> LoadModel(const std::filesystem::path& model_file,
                                                            bool optimize = true, bool native_attention = true) {
  runtime::ClassifierOptions options;
  options.model_file = model_file;
  options.native_attention = native_attention;
  options.optimization = optimize ? runtime::GraphOptimization::kAll : runtime::GraphOptimization::kDisabled;
  return runtime::Classifier::Load(model_file.parent_path(), options);
}

inline std::vector<ReferenceBatch> ReadReference(const std::string& architecture) {
  std::ifstream in(kFixtures / (architecture + "_logits.json"));
  const auto root = nlohmann::json::parse(in);
  std::vector<ReferenceBatch> batches;
  for (const auto& item : root.at("batches")) {
    ReferenceBatch batch;
    const auto ids = item.at("input_ids").get<std::vector<std::vector<std::int64_t>>>();
    const auto mask = item.at("attention_mask").get<std::vector<std::vector<std::int64_t>>>();
    const auto types = item.at("token_type_ids").get<std::vector<std::vector<std::int64_t>>>();
    for (std::size_t row = 0; row < ids.size(); ++row) {
      runtime::PreparedText text;
      for (std::size_t col = 0; col < ids[row].size() && mask[row][col] != 0; ++col) {
        text.ids.push_back(ids[row][col]);
        text.type_ids.push_back(types[row][col]);
      }
      batch.texts.push_back(std::move(text));
    }
    batch.logits = item.at("logits").get<std::vector<std::vector<float>>>();
    if (item.contains("texts")) batch.raw_texts = item.at("texts").get<std::vector<std::string>>();
    batches.push_back(std::move(batch));
  }
  return batches;
}

inline double MaxAbsDifference(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0;
  for (std::size_t row = 0; row < a.size(); ++row) {
    if (a[row].size() != b[row].size()) return INFINITY;
    for (std::size_t col = 0; col < a[row].size(); ++col) {
      worst = std::max(worst, std::abs(static_cast<double>(a[row][col]) - b[row][col]));
    }
  }
  return worst;
}

inline int ArgMax(const std::vector<float>& row) {
  return static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin());
}

// A fresh scratch directory per test.
inline std::filesystem::path Scratch(const std::string& name) {
  const auto dir = kFixtures / "scratch" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir.parent_path());
  return dir;
}

// A model directory exported from the fixture checkpoint `checkpoint` (the bert fixture's tokenizer and config
// files beside it), in a fresh scratch directory `name`.
inline std::filesystem::path ExportTo(const std::string& name, const checkpoint::Checkpoint& checkpoint,
                                      GraphKind graph) {
  const auto dir = Scratch(name);
  std::filesystem::create_directories(dir);
  ExportOptions options;
  options.graph = graph;
  WriteBinaryFile(dir / kModelFile, BuildOnnxModel(checkpoint, options));
  for (const char* file : kCopiedFiles) {
    if (std::filesystem::exists(kFixtures / "bert" / file))
      std::filesystem::copy_file(kFixtures / "bert" / file, dir / file);
  }
  return dir;
}

}  // namespace fastintent::exporter::testing
