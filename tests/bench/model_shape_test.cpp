#include "fastintent/bench/model_shape.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

std::filesystem::path WriteTemp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("fastintent_bench_test_" + name);
  std::filesystem::create_directories(path);
  std::ofstream(path / "config.json") << text;
  return path / "config.json";
}

TEST(ModelShape, ReadsTheFourSeedShapes) {
  const auto shapes = LoadSeedShapes(std::filesystem::path(FASTINTENT_SHARED_DIR) / "models/seed-architectures.json");
  ASSERT_EQ(shapes.size(), 4u);
  EXPECT_EQ(shapes[2].name, "rubert-tiny2");
  EXPECT_EQ(shapes[2].hidden, 312u);
  EXPECT_EQ(shapes[2].intermediate, 600u);
  EXPECT_EQ(shapes[0].family, ModelFamily::kDistilBert);
  EXPECT_EQ(shapes[3].layers, 12u);
}

TEST(ModelShape, ReadsBertAndDistilBertConfigs) {
  const ModelShape bert = LoadShapeFromConfig(WriteTemp(
      "bert", R"({"model_type":"bert","hidden_size":8,"num_hidden_layers":2,"num_attention_heads":2,
                  "intermediate_size":16,"vocab_size":100,"id2label":{"0":"a","1":"b","2":"c"}})"));
  EXPECT_EQ(bert.hidden, 8u);
  EXPECT_EQ(bert.num_labels, 3u);
  const ModelShape distil = LoadShapeFromConfig(WriteTemp(
      "distil", R"({"model_type":"distilbert","dim":8,"n_layers":2,"n_heads":2,"hidden_dim":16,"vocab_size":100})"));
  EXPECT_EQ(distil.family, ModelFamily::kDistilBert);
  EXPECT_EQ(distil.intermediate, 16u);
  EXPECT_EQ(distil.type_vocab, 0u);
}

TEST(ModelShape, NamesTheMissingField) {
  try {
    LoadShapeFromConfig(WriteTemp("missing", R"({"model_type":"bert","hidden_size":8})"));
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("vocab_size"), std::string::npos) << e.what();
  }
  EXPECT_THROW(LoadShapeFromConfig(WriteTemp("bad", R"({"model_type":"gpt2"})")), InvalidInput);
}

}  // namespace
}  // namespace fastintent::bench
