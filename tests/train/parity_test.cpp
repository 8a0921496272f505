// Parity of the libtorch models with Hugging Face transformers, and the C++ half of the checkpoint round trip.
// The reference JSON comes from tools/train/reference_logits.py (a ctest fixture); its path is in
// FASTINTENT_REFERENCE_JSON. With FASTINTENT_ROUNDTRIP_OUT set, every case is also written back as a checkpoint
// (ours-<name>/ + ours-<name>.json) for tools/train/check_checkpoint.py to load with transformers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/text/tokenizer.h"
#include "fastintent/train/torch_classifier.h"

namespace fastintent::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kTolerance = 1e-4;

json ReadReference() {
  const char* path = std::getenv("FASTINTENT_REFERENCE_JSON");
  if (!path) throw std::runtime_error("FASTINTENT_REFERENCE_JSON is not set");
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot read ") + path);
  return json::parse(in);
}

TokenBatch BatchOf(const json& c) {
  TokenBatch batch;
  batch.batch = c.at("batch").get<std::size_t>();
  batch.sequence = c.at("sequence").get<std::size_t>();
  batch.ids = c.at("ids").get<std::vector<std::int64_t>>();
  batch.attention_mask = c.at("mask").get<std::vector<std::int64_t>>();
  batch.type_ids = c.at("type_ids").get<std::vector<std::int64_t>>();
  return batch;
}

double MaxDifference(const std::vector<float>& ours, const std::vector<float>& reference) {
  double worst = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(ours[i]) - static_cast<double>(reference[i])));
  }
  return worst;
}

TEST(TorchParity, LogitsAndHiddenStatesMatchTransformers) {
  const json reference = ReadReference();
  ASSERT_FALSE(reference.at("cases").empty());
  for (const json& c : reference.at("cases")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const auto model = TorchClassifier::Load(c.at("dir").get<std::string>());
    const TokenBatch batch = BatchOf(c);
    if (c.contains("logits")) {
      const auto expected = c.at("logits").get<std::vector<float>>();
      const auto logits = model.Logits(batch);
      ASSERT_EQ(logits.size(), expected.size());
      const double difference = MaxDifference(logits, expected);
      std::printf("%s: max |logit difference| %.3g\n", c.at("name").get<std::string>().c_str(), difference);
      EXPECT_LE(difference, kTolerance);
    }
    if (c.contains("hidden")) {
      const auto expected = c.at("hidden").get<std::vector<float>>();
      const auto all = model.LastHiddenState(batch);
      const std::size_t hidden = c.at("hidden_size").get<std::size_t>();
      std::vector<float> unpadded;  // the reference lists only positions where mask = 1
      for (std::size_t position = 0; position < batch.batch * batch.sequence; ++position) {
        if (batch.attention_mask[position] == 0) continue;
        unpadded.insert(unpadded.end(), all.begin() + static_cast<std::ptrdiff_t>(position * hidden),
                        all.begin() + static_cast<std::ptrdiff_t>((position + 1) * hidden));
      }
      ASSERT_EQ(unpadded.size(), expected.size());
      const double difference = MaxDifference(unpadded, expected);
      std::printf("%s: max |hidden state difference| %.3g\n", c.at("name").get<std::string>().c_str(), difference);
      EXPECT_LE(difference, kTolerance);
    }
  }
}

// Writes each case back with TorchClassifier::Save (+ tokenizer files) and what we compute on it, for
// check_checkpoint.py. Also checks here that we read our own output back to the same logits.
TEST(TorchParity, WritesCheckpointsBack) {
  const char* out = std::getenv("FASTINTENT_ROUNDTRIP_OUT");
  if (!out) GTEST_SKIP() << "FASTINTENT_ROUNDTRIP_OUT not set";
  const json reference = ReadReference();
  for (const json& c : reference.at("cases")) {
    if (!c.contains("logits")) continue;
    const std::string name = c.at("name").get<std::string>();
    SCOPED_TRACE(name);
    const fs::path source = c.at("dir").get<std::string>();
    const fs::path dir = fs::path(out) / ("ours-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto model = TorchClassifier::Load(source);
    model.Save(dir);
    CopyTokenizerFiles(source, dir);

    const auto tokenizer = text::Tokenizer::Load(dir);
    const auto texts = c.at("texts").get<std::vector<std::string>>();
    text::EncodeOptions options;
    options.padding = text::PaddingStrategy::kLongest;
    const auto encodings = tokenizer.EncodeBatch(texts, options);
    TokenBatch batch;
    batch.batch = encodings.size();
    batch.sequence = encodings.front().length();
    for (const auto& e : encodings) {
      ASSERT_EQ(e.length(), batch.sequence);
      batch.ids.insert(batch.ids.end(), e.ids.begin(), e.ids.end());
      batch.attention_mask.insert(batch.attention_mask.end(), e.attention_mask.begin(), e.attention_mask.end());
      batch.type_ids.insert(batch.type_ids.end(), e.type_ids.begin(), e.type_ids.end());
    }
    const auto logits = model.Logits(batch);
    const auto reloaded = TorchClassifier::Load(dir);
    EXPECT_EQ(reloaded.config().labels, model.config().labels);
    EXPECT_EQ(reloaded.Logits(batch), logits);

    json expected = {{"dir", dir.string()},          {"labels", model.config().labels}, {"texts", texts},
                     {"batch", batch.batch},         {"sequence", batch.sequence},      {"ids", batch.ids},
                     {"mask", batch.attention_mask}, {"type_ids", batch.type_ids},      {"logits", logits}};
    std::ofstream(fs::path(out) / ("ours-" + name + ".json")) << expected.dump();
  }
}

}  // namespace
}  // namespace fastintent::train
