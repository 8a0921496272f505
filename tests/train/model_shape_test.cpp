// Random initialisation from shapes: the seed article's four architectures and small shape JSONs.
#include "fastintent/checkpoint/model_shape.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "fastintent/common/error.h"
#include "fastintent/train/torch_classifier.h"

namespace fastintent::train {
namespace {

namespace fs = std::filesystem;
using checkpoint::ReadModelShape;

const fs::path kSeedShapes = FASTINTENT_TEST_SEED_SHAPES;
const fs::path kData = FASTINTENT_TEST_DATA_DIR;

fs::path WriteTemp(const std::string& name, const std::string& text) {
  const fs::path file = fs::temp_directory_path() / ("fastintent_shape_" + name);
  std::ofstream(file) << text;
  return file;
}

// Parameter counts published for the article's models (seed-architectures.json params_millions), with a
// classifier head of 2 classes: within 3%.
TEST(ModelShape, SeedArchitecturesHaveThePublishedParameterCounts) {
  const fs::path file = kSeedShapes;
  struct Expected {
    const char* name;
    double millions;
  };
  for (const Expected& e :
       {Expected{"distilrubert-tiny-cased-conversational-v1", 10.4}, Expected{"rubert-tiny2", 29.2}}) {
    SCOPED_TRACE(e.name);
    auto config = ReadModelShape(file, e.name);
    config.labels = {"a", "b"};
    const auto model = TorchClassifier::Random(config, 1);
    const double millions = static_cast<double>(model.parameter_count()) / 1e6;
    EXPECT_NEAR(millions, e.millions, e.millions * 0.03);
  }
  EXPECT_EQ(ReadModelShape(file, "rubert-base-cased").hidden_size, 768u);
  EXPECT_EQ(ReadModelShape(file, "distilrubert-tiny-cased-conversational-5k").architecture,
            checkpoint::Architecture::kDistilBert);
}

TEST(ModelShape, RandomInitialisationIsSeededAndRunsBothArchitectures) {
  for (const char* file : {"tiny_bert_shape.json", "tiny_distilbert_shape.json"}) {
    SCOPED_TRACE(file);
    auto config = ReadModelShape(kData / file);
    config.labels = {"x", "y", "z"};
    TokenBatch batch{2, 4, {101, 7592, 102, 0, 101, 2088, 2003, 102}, {1, 1, 1, 0, 1, 1, 1, 1}, {}};
    const auto a = TorchClassifier::Random(config, 7).Logits(batch);
    const auto b = TorchClassifier::Random(config, 7).Logits(batch);
    const auto c = TorchClassifier::Random(config, 8).Logits(batch);
    ASSERT_EQ(a.size(), 6u);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
  }
}

TEST(ModelShape, PaddingDoesNotChangeTheLogitsOfARow) {
  auto config = ReadModelShape(kData / "tiny_bert_shape.json");
  config.labels = {"x", "y"};
  const auto model = TorchClassifier::Random(config, 3);
  const auto alone = model.Logits(TokenBatch{1, 3, {101, 7592, 102}, {1, 1, 1}, {}});
  const auto padded = model.Logits(
      TokenBatch{2, 5, {101, 7592, 102, 0, 0, 101, 2088, 2003, 2009, 102}, {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, {}});
  for (std::size_t i = 0; i < 2; ++i) EXPECT_NEAR(alone[i], padded[i], 1e-5);
}

TEST(ModelShape, ConcurrentLogitsCallsAgreeWithASingleCall) {
  auto config = ReadModelShape(kData / "tiny_distilbert_shape.json");
  config.labels = {"x", "y"};
  const auto model = TorchClassifier::Random(config, 5);
  const TokenBatch batch{2, 4, {101, 7592, 102, 0, 101, 2088, 2003, 102}, {1, 1, 1, 0, 1, 1, 1, 1}, {}};
  const auto expected = model.Logits(batch);
  std::vector<std::vector<float>> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&model, &batch, &result] {
      for (int i = 0; i < 20; ++i) result = model.Logits(batch);
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

TEST(ModelShape, BadShapesAreClearErrors) {
  auto expect_error = [](const fs::path& file, const std::string& name, const std::string& fragment) {
    try {
      ReadModelShape(file, name);
      ADD_FAILURE() << "no error for " << file;
    } catch (const InvalidInput& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect_error(WriteTemp("missing.json", R"({"family": "bert", "hidden": 16})"), "", "\"layers\" is missing");
  expect_error(WriteTemp("heads.json", R"({"hidden": 10, "layers": 1, "heads": 3, "intermediate": 8, "vocab": 9})"), "",
               "not a multiple of heads 3");
  expect_error(WriteTemp("family.json", R"({"family": "gpt", "hidden": 16})"), "", "\"family\" got \"gpt\"");
  expect_error(WriteTemp("negative.json", R"({"hidden": -4, "layers": 1, "heads": 1, "intermediate": 8, "vocab": 9})"),
               "", "\"hidden\" got -4");
  expect_error(WriteTemp("family_type.json", R"({"family": 128, "hidden": 16})"), "",
               "\"family\" got 128, expected a string");
  expect_error(WriteTemp("name_type.json", R"({"models": [{"name": 5}]})"), "x", "\"name\" got 5, expected a string");
  expect_error(kSeedShapes, "no-such-model", "expected one of: distilrubert");
  for (const char* name :
       {"missing.json", "heads.json", "family.json", "negative.json", "family_type.json", "name_type.json"}) {
    fs::remove(fs::temp_directory_path() / (std::string("fastintent_shape_") + name));
  }
  EXPECT_THROW(TorchClassifier::Load("/nonexistent/checkpoint"), InvalidInput);
}

}  // namespace
}  // namespace fastintent::train
