// Head-only training (`train --freeze-encoder`): features kept once give the head exactly what the whole model
// gives it, for both poolings and both encoders; the trained checkpoint keeps every encoder weight of its base
// bit for bit and changes the head; a frozen random encoder is refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/checkpoint/model_shape.h"
#include "fastintent/common/error.h"
#include "fastintent/text/tokenizer.h"
#include "fastintent/train/trainer.h"
#include "frozen_features.h"
#include "scratch_dir.h"
#include "torch_classifier_impl.h"

namespace fastintent::train {
namespace {

namespace fs = std::filesystem;
using testing::ScratchPath;

const fs::path kAssets = FASTINTENT_TEST_ASSETS_DIR;
const fs::path kData = FASTINTENT_TEST_DATA_DIR;

std::vector<EncodedExample> SomeExamples() {
  const auto tokenizer = text::Tokenizer::Load(kAssets / "tokenizers" / "all-MiniLM-L6-v2");
  const std::vector<std::string> texts = {"card payment fee", "rainy and cold today, isn't it?", "hello",
                                          "where is my new card and why is it so late", "sunny"};
  return EncodeTexts(tokenizer, texts, 16, 1);
}

void ExpectFeaturesGiveTheModelsLogits(const std::string& shape, checkpoint::Pooling pooling) {
  SCOPED_TRACE(shape + " " + checkpoint::PoolingName(pooling));
  auto config = checkpoint::ReadModelShape(kData / shape);
  config.labels = {"a", "b", "c"};
  config.pooling = pooling;
  const auto model = TorchClassifier::Random(config, 9);
  auto& module = *model.impl().module;
  const auto examples = SomeExamples();
  ProgressBar silent(stderr, 0, false);
  const FrozenFeatures features(module, examples, 2, 0, pooling, silent);
  ASSERT_EQ(features.size(), examples.size());

  torch::NoGradGuard no_grad;
  module.eval();
  const std::vector<std::size_t> all = {4, 0, 3, 1, 2};  // any order, mixed lengths
  const auto expected = module.Logits(ToEncoderInputs(PadBatch(examples, all, 0)));
  const auto got = features.Logits(module, all);
  ASSERT_EQ(got.sizes(), expected.sizes());
  EXPECT_TRUE(torch::allclose(got, expected, 1e-5, 1e-6)) << got << "\n" << expected;
}

TEST(FrozenFeatures, GiveTheHeadWhatTheWholeModelGivesIt) {
  ExpectFeaturesGiveTheModelsLogits("tiny_bert_shape.json", checkpoint::Pooling::kMean);
  ExpectFeaturesGiveTheModelsLogits("tiny_bert_shape.json", checkpoint::Pooling::kCls);
  ExpectFeaturesGiveTheModelsLogits("tiny_distilbert_shape.json", checkpoint::Pooling::kMean);
  ExpectFeaturesGiveTheModelsLogits("tiny_distilbert_shape.json", checkpoint::Pooling::kCls);
}

TEST(FreezeEncoder, TrainsTheHeadAndKeepsEveryEncoderWeight) {
  for (const auto pooling : {checkpoint::Pooling::kMean, checkpoint::Pooling::kCls}) {
    SCOPED_TRACE(checkpoint::PoolingName(pooling));
    auto config = checkpoint::ReadModelShape(kData / "tiny_bert_shape.json");
    config.labels = {"placeholder", "labels"};
    config.pooling = pooling;
    const fs::path base = ScratchPath("base_" + checkpoint::PoolingName(pooling));
    fs::create_directories(base);
    TorchClassifier::Random(config, 3).Save(base);

    TrainOptions o;
    o.base_checkpoint = base;
    o.tokenizer_dir = kAssets / "tokenizers" / "all-MiniLM-L6-v2";
    o.train_file = kData / "separable.csv";
    o.valid_fraction = 0.2;
    o.out_dir = ScratchPath("probe_" + checkpoint::PoolingName(pooling));
    o.freeze_encoder = true;
    o.epochs = 5;
    o.batch_size = 8;
    o.learning_rate = 1e-2;
    o.max_length = 16;
    o.progress = false;
    const TrainReport report = Train(o);
    ASSERT_EQ(report.epochs.size(), 5u);
    EXPECT_LT(report.epochs.back().train_loss, report.epochs.front().train_loss) << "the head did not learn";

    const auto before = TorchClassifier::Load(base).impl().module->named_parameters();
    const auto trained = TorchClassifier::Load(o.out_dir);
    const auto after = trained.impl().module->named_parameters();
    std::size_t encoder = 0, head = 0;
    for (const auto& item : after) {
      const bool in_head = trained.impl().module->IsHeadParameter(item.key());
      if (in_head) {
        ++head;
        continue;
      }
      ++encoder;
      ASSERT_TRUE(before.contains(item.key())) << item.key();
      EXPECT_TRUE(torch::equal(item.value(), before[item.key()])) << item.key() << " changed";
    }
    EXPECT_GT(encoder, 10u);
    EXPECT_GE(head, 2u);
    const auto metrics = nlohmann::json::parse(std::ifstream(o.out_dir / "metrics.json"));
    EXPECT_EQ(metrics.at("options").at("freeze_encoder"), true);
  }
}

TEST(FreezeEncoder, ARandomEncoderIsRefused) {
  TrainOptions o;
  o.shape_file = kData / "tiny_bert_shape.json";
  o.tokenizer_dir = kAssets / "tokenizers" / "all-MiniLM-L6-v2";
  o.train_file = kData / "separable.csv";
  o.out_dir = ScratchPath("refused");
  o.freeze_encoder = true;
  o.progress = false;
  try {
    Train(o);
    FAIL() << "a frozen random encoder trained";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("--freeze-encoder needs --base"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(o.out_dir));
}

}  // namespace
}  // namespace fastintent::train
