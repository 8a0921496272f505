// The seed article's four shapes (configs/seed-architectures.json) and the speed-deciding numbers of a
// config.json, as the benchmark reads them (checkpoint::ReadModelShapes / ReadModelConfig).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/checkpoint/model_shape.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

std::filesystem::path WriteTemp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("fastintent_seed_shapes_test_" + name);
  std::filesystem::create_directories(path);
  std::ofstream(path / "config.json") << text;
  return path / "config.json";
}

TEST(SeedShapes, ReadsTheFourSeedShapes) {
  const auto shapes = ReadModelShapes(FASTINTENT_SEED_SHAPES);
  ASSERT_EQ(shapes.size(), 4u);
  EXPECT_EQ(shapes[2].name, "rubert-tiny2");
  EXPECT_EQ(shapes[2].config.hidden_size, 312u);
  EXPECT_EQ(shapes[2].config.intermediate_size, 600u);
  EXPECT_EQ(shapes[0].config.architecture, Architecture::kDistilBert);
  EXPECT_EQ(shapes[3].config.num_layers, 12u);
}

TEST(SeedShapes, ReadsBertAndDistilBertConfigs) {
  const ModelConfig bert = ReadModelConfig(
      WriteTemp("bert", R"({"model_type":"bert","hidden_size":8,"num_hidden_layers":2,"num_attention_heads":2,
                  "intermediate_size":16,"vocab_size":100,"id2label":{"0":"a","1":"b","2":"c"}})"));
  EXPECT_EQ(bert.hidden_size, 8u);
  EXPECT_EQ(bert.labels.size(), 3u);
  const ModelConfig distil = ReadModelConfig(WriteTemp(
      "distil", R"({"model_type":"distilbert","dim":8,"n_layers":2,"n_heads":2,"hidden_dim":16,"vocab_size":100})"));
  EXPECT_EQ(distil.architecture, Architecture::kDistilBert);
  EXPECT_EQ(distil.intermediate_size, 16u);
  EXPECT_EQ(distil.type_vocab_size, 0u);
}

TEST(SeedShapes, NamesTheMissingField) {
  try {
    ReadModelConfig(WriteTemp("missing", R"({"model_type":"bert","hidden_size":8})"));
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("vocab_size"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ReadModelConfig(WriteTemp("bad", R"({"model_type":"gpt2"})")), InvalidInput);
}

}  // namespace
}  // namespace fastintent::checkpoint
