// The trainer on a tiny separable data set: the loss falls, a seed repeats a run exactly, the output
// directory is a loadable checkpoint with metrics.json and learning_curve.svg, and bad input is a clear error.
#include "fastintent/train/trainer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/common/error.h"
#include "fastintent/train/torch_classifier.h"
#include "fastintent/train/torch_predict.h"
#include "scratch_dir.h"

namespace fastintent::train {
namespace {

namespace fs = std::filesystem;
using testing::ScratchPath;

const fs::path kAssets = FASTINTENT_TEST_ASSETS_DIR;
const fs::path kData = FASTINTENT_TEST_DATA_DIR;

TrainOptions TinyOptions(const std::string& out_name) {
  TrainOptions o;
  o.shape_file = kData / "tiny_bert_shape.json";
  o.tokenizer_dir = kAssets / "tokenizers" / "all-MiniLM-L6-v2";
  o.train_file = kData / "separable.csv";
  o.valid_fraction = 0.2;
  o.out_dir = ScratchPath(out_name);
  o.epochs = 20;
  o.batch_size = 8;
  o.learning_rate = 5e-3;
  o.warmup_ratio = 0.1;
  o.max_length = 16;
  o.seed = 11;
  o.threads = 1;
  o.progress = false;
  return o;
}

TEST(Trainer, LossFallsAndTheSetIsLearned) {
  const auto o = TinyOptions("learn");
  const auto report = Train(o);
  ASSERT_EQ(report.epochs.size(), 20u);
  EXPECT_EQ(report.labels, (std::vector<std::string>{"greeting", "payment", "weather"}));
  EXPECT_LT(report.epochs.back().train_loss, 0.5 * report.epochs.front().train_loss);
  EXPECT_LT(report.epochs.back().valid_loss, report.epochs.front().valid_loss);
  const auto& best = report.epochs.at(report.best_epoch - 1);
  EXPECT_GE(best.valid_f1_macro, 0.9);

  for (const char* file :
       {"config.json", "model.safetensors", "vocab.txt", "tokenizer.json", "metrics.json", "learning_curve.svg"}) {
    EXPECT_TRUE(fs::is_regular_file(o.out_dir / file)) << file;
  }
  const auto metrics = nlohmann::json::parse(std::ifstream(o.out_dir / "metrics.json"));
  EXPECT_EQ(metrics.at("epochs").size(), 20u);
  EXPECT_EQ(metrics.at("best_epoch").get<std::size_t>(), report.best_epoch);
  std::ifstream svg(o.out_dir / "learning_curve.svg");
  const std::string svg_text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  EXPECT_EQ(svg_text.rfind("<svg", 0), 0u);
  EXPECT_NE(svg_text.find("<polyline"), std::string::npos);

  // The written checkpoint predicts the training phrases (they are separable by vocabulary).
  const auto predictions =
      PredictWithTorch(o.out_dir, {"rain and snow forecast", "card payment refund", "hello and thanks"});
  EXPECT_EQ(predictions.labels, report.labels);
  EXPECT_EQ(predictions.class_ids, (std::vector<int>{2, 1, 0}));
  for (float score : predictions.top_scores) EXPECT_GT(score, 0.34f);
}

TEST(Trainer, SameSeedRepeatsTheRunAndAnotherSeedDoesNot) {
  auto o = TinyOptions("repeat_a");
  o.epochs = 3;
  const auto a = Train(o);
  o.out_dir = ScratchPath("repeat_b");
  const auto b = Train(o);
  o.out_dir = ScratchPath("repeat_c");
  o.seed = 12;
  const auto c = Train(o);
  ASSERT_EQ(a.epochs.size(), b.epochs.size());
  for (std::size_t i = 0; i < a.epochs.size(); ++i) {
    EXPECT_EQ(a.epochs[i].train_loss, b.epochs[i].train_loss);
    EXPECT_EQ(a.epochs[i].valid_loss, b.epochs[i].valid_loss);
    EXPECT_EQ(a.epochs[i].valid_f1_macro, b.epochs[i].valid_f1_macro);
  }
  EXPECT_NE(a.epochs[0].train_loss, c.epochs[0].train_loss);
}

TEST(Trainer, DistilBertJsonlWithColumnsBalancedWeightsAndMaxSteps) {
  auto o = TinyOptions("distil");
  o.shape_file = kData / "tiny_distilbert_shape.json";
  o.train_file = kData / "separable.jsonl";
  o.read_options.text_column = "utterance";
  o.read_options.label_column = "intent";
  o.balanced_class_weights = true;
  o.max_steps = 7;
  const auto report = Train(o);
  EXPECT_EQ(report.steps, 7u);
  EXPECT_EQ(report.labels.size(), 3u);
  const auto model = TorchClassifier::Load(o.out_dir);
  EXPECT_EQ(model.config().architecture, checkpoint::Architecture::kDistilBert);
  EXPECT_EQ(model.config().labels, report.labels);
}

TEST(Trainer, MeanPoolingAndInputPrefixGoIntoTheCheckpoint) {
  auto o = TinyOptions("mean");
  o.epochs = 2;
  o.pooling = checkpoint::Pooling::kMean;
  o.input_prefix = "query: ";
  Train(o);
  const auto model = TorchClassifier::Load(o.out_dir);
  EXPECT_EQ(model.config().pooling, checkpoint::Pooling::kMean);
  EXPECT_EQ(model.config().input_prefix, "query: ");
  const auto config = nlohmann::json::parse(std::ifstream(o.out_dir / "config.json"));
  EXPECT_EQ(config.at("fastintent_pooling"), "mean");
  EXPECT_EQ(config.at("fastintent_input_prefix"), "query: ");
  // A mean-pooled head has no pooler, and fine-tuning from this checkpoint keeps its pooling.
  const auto weights = checkpoint::ReadSafetensors(o.out_dir / "model.safetensors");
  EXPECT_EQ(weights.count("bert.pooler.dense.weight"), 0u);
  auto again = TinyOptions("mean_again");
  again.shape_file.reset();
  again.base_checkpoint = o.out_dir;
  again.epochs = 1;
  Train(again);
  EXPECT_EQ(TorchClassifier::Load(again.out_dir).config().pooling, checkpoint::Pooling::kMean);
  EXPECT_EQ(TorchClassifier::Load(again.out_dir).config().input_prefix, "query: ");
}

void ExpectInvalid(const TrainOptions& o, const std::string& fragment) {
  try {
    Train(o);
    ADD_FAILURE() << "no error, expected one containing: " << fragment;
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(o.out_dir)) << "a failed run must not leave " << o.out_dir;
}

TEST(Trainer, BadInputIsAClearError) {
  auto o = TinyOptions("bad");
  o.read_options.label_column = "intent";
  ExpectInvalid(o, "intent");

  o = TinyOptions("bad");
  o.train_file = kData / "one_example_label.csv";
  ExpectInvalid(o, "singleton");

  o = TinyOptions("bad");
  o.shape_file.reset();
  o.base_checkpoint = "/nonexistent/base";
  ExpectInvalid(o, "/nonexistent/base");

  o = TinyOptions("bad");
  o.base_checkpoint = "/nonexistent/base";
  ExpectInvalid(o, "exactly one of --base");

  o = TinyOptions("bad");
  o.max_length = 65;
  ExpectInvalid(o, "--max-length got 65");

  o = TinyOptions("bad");
  o.label_smoothing = 1.0;
  ExpectInvalid(o, "--label-smoothing got 1");
}

}  // namespace
}  // namespace fastintent::train
