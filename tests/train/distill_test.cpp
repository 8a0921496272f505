// Distillation: the loss against torch's own kl_div and cross_entropy, a student initialised from chosen layers,
// and the trainer with a teacher (an n-gram model, seconds to train) and unlabelled texts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/checkpoint/model_shape.h"
#include "fastintent/common/error.h"
#include "fastintent/ngram/ngram.h"
#include "fastintent/train/trainer.h"
#include "optimizer.h"
#include "scratch_dir.h"
#include "torch_classifier_impl.h"

namespace fastintent::train {
namespace {

namespace fs = std::filesystem;
using testing::ScratchPath;

const fs::path kAssets = FASTINTENT_TEST_ASSETS_DIR;
const fs::path kData = FASTINTENT_TEST_DATA_DIR;

TEST(DistillLoss, MatchesTorchsKlDivAndCrossEntropy) {
  torch::manual_seed(3);
  const auto student = torch::randn({4, 5});
  const auto teacher = torch::randn({4, 5}) * 3;
  const auto labels = torch::tensor({1, 0, 4, 2}, torch::kLong);
  const double t = 2.5, alpha = 0.7;
  const auto reference_soft =
      torch::nn::functional::kl_div(torch::log_softmax(student / t, -1), torch::softmax(teacher / t, -1),
                                    torch::nn::functional::KLDivFuncOptions().reduction(torch::kBatchMean)) *
      (t * t);

  LossOptions options;
  options.teacher_logits = teacher;
  options.temperature = t;
  options.alpha = alpha;
  const auto mixed = BatchLoss(student, labels, options);
  const auto reference_mixed =
      alpha * reference_soft + (1 - alpha) * torch::nn::functional::cross_entropy(student, labels);
  EXPECT_NEAR(mixed.item<double>(), reference_mixed.item<double>(), 1e-5);

  // Unlabelled rows take the soft term only; a batch without labelled rows has no hard term at all.
  options.labelled = torch::tensor({true, false, true, false});
  const auto rows = torch::tensor({0, 2}, torch::kLong);
  const auto reference_partial =
      alpha * reference_soft +
      (1 - alpha) * torch::nn::functional::cross_entropy(student.index_select(0, rows), labels.index_select(0, rows));
  EXPECT_NEAR(BatchLoss(student, labels, options).item<double>(), reference_partial.item<double>(), 1e-5);
  options.labelled = torch::zeros({4}, torch::kBool);
  EXPECT_NEAR(BatchLoss(student, labels, options).item<double>(), reference_soft.item<double>(), 1e-5);

  // Without a teacher: plain cross-entropy, as before.
  EXPECT_NEAR(BatchLoss(student, labels, LossOptions{}).item<double>(),
              torch::nn::functional::cross_entropy(student, labels).item<double>(), 1e-6);
}

TEST(KeepLayers, AStudentStartsFromTheChosenLayers) {
  auto config = checkpoint::ReadModelShape(kData / "tiny_bert_shape.json");
  config.labels = {"a", "b"};
  const fs::path dir = ScratchPath("two_layers");
  fs::create_directories(dir);
  const auto full = TorchClassifier::Random(config, 5);
  full.Save(dir);
  const auto student = TorchClassifier::Load(dir, {}, 5, std::nullopt, {1});
  EXPECT_EQ(student.config().num_layers, 1u);
  const auto original = full.impl().module->named_parameters();
  const auto kept = student.impl().module->named_parameters();
  ASSERT_TRUE(kept.contains("bert.encoder.layer.0.attention.self.query.weight"));
  EXPECT_FALSE(kept.contains("bert.encoder.layer.1.attention.self.query.weight"));
  EXPECT_TRUE(torch::equal(kept["bert.encoder.layer.0.attention.self.query.weight"],
                           original["bert.encoder.layer.1.attention.self.query.weight"]));
  EXPECT_TRUE(
      torch::equal(kept["bert.embeddings.word_embeddings.weight"], original["bert.embeddings.word_embeddings.weight"]));
  EXPECT_THROW(TorchClassifier::Load(dir, {}, 5, std::nullopt, {1, 0}), InvalidInput);  // not ascending
  EXPECT_THROW(TorchClassifier::Load(dir, {}, 5, std::nullopt, {2}), InvalidInput);     // no such layer
}

TEST(Distill, TheTrainerLearnsFromATeacherAndUnlabelledTexts) {
  const fs::path teacher = ScratchPath("teacher");
  ngram::TrainNgramModel(data::ReadExamples(kData / "separable.csv"), ngram::NgramOptions{}, teacher);
  const fs::path unlabeled = ScratchPath("unlabeled.txt");
  std::ofstream(unlabeled) << "card payment fee\nrainy and cold today\nhello there, thanks\n\nsunny weather\n";

  TrainOptions o;
  o.shape_file = kData / "tiny_bert_shape.json";
  o.tokenizer_dir = kAssets / "tokenizers" / "all-MiniLM-L6-v2";
  o.train_file = kData / "separable.csv";
  o.valid_fraction = 0.2;
  o.out_dir = ScratchPath("student");
  o.epochs = 15;
  o.batch_size = 8;
  o.learning_rate = 5e-3;
  o.max_length = 16;
  o.seed = 11;
  o.progress = false;
  o.teacher_dir = teacher;
  o.unlabeled_files = {unlabeled};
  o.distill_temperature = 2.0;
  o.distill_alpha = 0.5;
  const TrainReport report = Train(o);
  EXPECT_EQ(report.unlabeled_examples, 4u);
  EXPECT_GT(report.teacher_seconds, 0.0);
  EXPECT_GE(report.epochs.at(report.best_epoch - 1).valid_f1_macro, 0.9);
  const auto metrics = nlohmann::json::parse(std::ifstream(o.out_dir / "metrics.json"));
  EXPECT_EQ(metrics.at("options").at("teacher"), teacher.string());
  EXPECT_EQ(metrics.at("unlabeled_examples"), 4);

  // A teacher for other labels is refused, naming the difference.
  TrainOptions other = o;
  other.out_dir = ScratchPath("student_bad");
  const fs::path wrong = ScratchPath("wrong_teacher");
  auto examples = data::ReadExamples(kData / "separable.csv");
  for (auto& example : examples) example.label += "_x";
  ngram::TrainNgramModel(examples, ngram::NgramOptions{}, wrong);
  other.teacher_dir = wrong;
  EXPECT_THROW(Train(other), InvalidInput);
  other.teacher_dir.reset();
  EXPECT_THROW(Train(other), InvalidInput) << "--unlabeled without --teacher";
}

}  // namespace
}  // namespace fastintent::train
