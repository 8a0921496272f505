#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

TensorMap Named(std::initializer_list<std::string> names) {
  TensorMap tensors;
  float value = 1;
  for (const std::string& name : names) tensors[name] = Tensor{{1}, {value++}};
  return tensors;
}

TEST(CanonicalWeightsTest, PrefixesBareBertEncoderKeys) {
  const TensorMap renamed =
      CanonicalWeights(Named({"embeddings.word_embeddings.weight", "encoder.layer.0.output.dense.bias",
                              "pooler.dense.weight", "embeddings.position_ids", "embeddings.LayerNorm.gamma",
                              "encoder.layer.0.output.LayerNorm.beta", "cls.predictions.bias"}),
                       Architecture::kBert);
  EXPECT_EQ(renamed.size(), 5u);
  EXPECT_EQ(renamed.at("bert.embeddings.word_embeddings.weight").data[0], 1.0f);
  EXPECT_EQ(renamed.count("bert.encoder.layer.0.output.dense.bias"), 1u);
  EXPECT_EQ(renamed.count("bert.pooler.dense.weight"), 1u);
  EXPECT_EQ(renamed.count("bert.embeddings.LayerNorm.weight"), 1u);
  EXPECT_EQ(renamed.count("bert.encoder.layer.0.output.LayerNorm.bias"), 1u);
}

TEST(CanonicalWeightsTest, KeepsCanonicalNames) {
  const TensorMap renamed = CanonicalWeights(
      Named({"bert.pooler.dense.weight", "classifier.weight", "classifier.bias"}), Architecture::kBert);
  EXPECT_EQ(renamed.size(), 3u);
  EXPECT_EQ(renamed.count("classifier.weight"), 1u);
  EXPECT_EQ(renamed.count("bert.pooler.dense.weight"), 1u);
}

TEST(CanonicalWeightsTest, PrefixesDistilBertKeys) {
  const TensorMap renamed =
      CanonicalWeights(Named({"embeddings.word_embeddings.weight", "transformer.layer.0.ffn.lin1.weight",
                              "pre_classifier.weight", "vocab_projector.bias"}),
                       Architecture::kDistilBert);
  EXPECT_EQ(renamed.size(), 3u);
  EXPECT_EQ(renamed.count("distilbert.embeddings.word_embeddings.weight"), 1u);
  EXPECT_EQ(renamed.count("distilbert.transformer.layer.0.ffn.lin1.weight"), 1u);
  EXPECT_EQ(renamed.count("pre_classifier.weight"), 1u);
}

TEST(CanonicalWeightsTest, RejectsMixedNamingThatCollides) {
  EXPECT_THROW(CanonicalWeights(Named({"pooler.dense.weight", "bert.pooler.dense.weight"}), Architecture::kBert),
               InvalidInput);
}

TEST(ReadCheckpointTest, ExplainsMissingSafetensors) {
  const auto dir = std::filesystem::temp_directory_path() / "fastintent_read_checkpoint_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pytorch_model.bin") << "pickle";
  try {
    ReadCheckpoint(dir);
    ADD_FAILURE() << "expected InvalidInput";
  } catch (const InvalidInput& error) {
    EXPECT_NE(std::string(error.what()).find("found pytorch_model.bin"), std::string::npos) << error.what();
  }
  EXPECT_THROW(ReadCheckpoint(dir / "absent"), IoError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fastintent::checkpoint
