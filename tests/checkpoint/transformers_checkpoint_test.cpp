// Reads the checkpoints transformers wrote (tools/export/make_checkpoint_fixtures.py) and compares every
// tensor with the values torch held (expected.json); writes one back and lets transformers load it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "fastintent/checkpoint/checkpoint.h"

namespace fastintent::checkpoint {
namespace {

const std::filesystem::path kFixtures = FASTINTENT_CHECKPOINT_FIXTURES;

nlohmann::json Expected() {
  std::ifstream in(kFixtures / "expected.json");
  return nlohmann::json::parse(in);
}

// Compares tensors with torch's description; `names` maps our canonical name to the stored name.
void ExpectTensorsMatch(const TensorMap& tensors, const nlohmann::json& expected, const std::string& prefix) {
  ASSERT_EQ(tensors.size(), expected.size());
  for (const auto& [stored_name, description] : expected.items()) {
    const std::string name = stored_name.rfind("bert.", 0) == 0 || stored_name.rfind("distilbert.", 0) == 0 ||
                                     stored_name.rfind("classifier", 0) == 0 ||
                                     stored_name.rfind("pre_classifier", 0) == 0
                                 ? stored_name
                                 : prefix + stored_name;
    ASSERT_EQ(tensors.count(name), 1u) << name;
    const Tensor& tensor = tensors.at(name);
    EXPECT_EQ(tensor.shape, description.at("shape").get<std::vector<std::int64_t>>()) << name;
    double sum = 0;
    for (float value : tensor.data) sum += value;
    EXPECT_NEAR(sum, description.at("sum").get<double>(), 1e-6 * (1 + std::abs(sum))) << name;
    const auto head = description.at("head").get<std::vector<float>>();
    for (std::size_t i = 0; i < head.size(); ++i) EXPECT_EQ(tensor.data[i], head[i]) << name << "[" << i << "]";
  }
}

TEST(TransformersFixture, ReadsBertCheckpoint) {
  const auto expected = Expected().at("bert");
  const Checkpoint checkpoint = ReadCheckpoint(kFixtures / "bert");
  EXPECT_EQ(checkpoint.config.architecture, Architecture::kBert);
  EXPECT_EQ(checkpoint.config.hidden_size, expected.at("hidden_size").get<std::size_t>());
  EXPECT_EQ(checkpoint.config.num_layers, expected.at("num_layers").get<std::size_t>());
  EXPECT_EQ(checkpoint.config.num_heads, expected.at("num_heads").get<std::size_t>());
  EXPECT_EQ(checkpoint.config.intermediate_size, expected.at("intermediate_size").get<std::size_t>());
  EXPECT_EQ(checkpoint.config.vocab_size, expected.at("vocab_size").get<std::size_t>());
  EXPECT_EQ(checkpoint.config.max_position_embeddings, expected.at("max_position_embeddings").get<std::size_t>());
  EXPECT_EQ(checkpoint.config.labels, expected.at("labels").get<std::vector<std::string>>());
  ExpectTensorsMatch(checkpoint.weights, expected.at("tensors"), "bert.");
}

TEST(TransformersFixture, ReadsDistilBertCheckpoint) {
  const auto expected = Expected().at("distilbert");
  const Checkpoint checkpoint = ReadCheckpoint(kFixtures / "distilbert");
  EXPECT_EQ(checkpoint.config.architecture, Architecture::kDistilBert);
  EXPECT_EQ(checkpoint.config.hidden_size, expected.at("hidden_size").get<std::size_t>());
  EXPECT_EQ(checkpoint.config.num_layers, expected.at("num_layers").get<std::size_t>());
  EXPECT_EQ(checkpoint.config.intermediate_size, expected.at("intermediate_size").get<std::size_t>());
  EXPECT_EQ(checkpoint.config.type_vocab_size, 0u);
  EXPECT_EQ(checkpoint.config.labels, expected.at("labels").get<std::vector<std::string>>());
  ExpectTensorsMatch(checkpoint.weights, expected.at("tensors"), "distilbert.");
}

TEST(TransformersFixture, ReadsBareEncoderWithCanonicalNames) {
  const auto expected = Expected().at("encoder");
  const Checkpoint checkpoint = ReadCheckpoint(kFixtures / "encoder");
  EXPECT_TRUE(checkpoint.config.labels.empty());
  EXPECT_EQ(checkpoint.config.num_heads, 2u);
  ExpectTensorsMatch(checkpoint.weights, expected.at("tensors"), "bert.");
}

TEST(TransformersFixture, ReadsHalfPrecisionFiles) {
  for (const std::string name : {"bert_f16", "bert_bf16"}) {
    SCOPED_TRACE(name);
    const TensorMap tensors = ReadSafetensors(kFixtures / (name + ".safetensors"));
    ExpectTensorsMatch(tensors, Expected().at(name).at("tensors"), "");
  }
}

// What we write (config.json + model.safetensors) loads in transformers and gives the original's logits.
TEST(TransformersFixture, WrittenCheckpointLoadsInTransformers) {
  for (const std::string name : {"bert", "distilbert"}) {
    SCOPED_TRACE(name);
    const Checkpoint checkpoint = ReadCheckpoint(kFixtures / name);
    const auto out = kFixtures / (name + "_rewritten");
    std::filesystem::remove_all(out);
    std::filesystem::create_directories(out);
    WriteModelConfig(checkpoint.config, out / "config.json");
    WriteSafetensors(checkpoint.weights, out / "model.safetensors");
    const std::string command = std::string("HF_HUB_OFFLINE=1 \"") + FASTINTENT_TEST_PYTHON + "\" \"" +
                                FASTINTENT_TOOLS_DIR + "/export/compare_checkpoints.py\" \"" +
                                (kFixtures / name).string() + "\" \"" + out.string() + "\"";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
  }
}

}  // namespace
}  // namespace fastintent::checkpoint
