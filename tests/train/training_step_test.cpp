// Training mode against transformers: one AdamW step (the trainer's own TrainingStep and MakeAdamW) from a
// transformers-written checkpoint gives the same loss and the same logits afterwards as torch.optim.AdamW with
// transformers' parameter groups (tools/train/reference_logits.py, "training_step"). Uses fastintent_train's
// internal headers (torch types).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "optimizer.h"
#include "torch_classifier_impl.h"

namespace fastintent::train {
namespace {

using nlohmann::json;

TEST(TrainingStepParity, OneAdamWStepMatchesTransformers) {
  const char* path = std::getenv("FASTINTENT_REFERENCE_JSON");
  ASSERT_NE(path, nullptr) << "FASTINTENT_REFERENCE_JSON is not set";
  const json reference = json::parse(std::ifstream(path));
  std::size_t checked = 0;
  for (const json& c : reference.at("cases")) {
    if (!c.contains("training_step")) continue;
    SCOPED_TRACE(c.at("name").get<std::string>());
    const json& step = c.at("training_step");
    auto model = TorchClassifier::Load(c.at("dir").get<std::string>());
    auto& module = *model.impl().module;
    module.eval();  // dropout off, as in the reference
    TokenBatch batch{c.at("batch").get<std::size_t>(), c.at("sequence").get<std::size_t>(),
                     c.at("ids").get<std::vector<std::int64_t>>(), c.at("mask").get<std::vector<std::int64_t>>(),
                     c.at("type_ids").get<std::vector<std::int64_t>>()};
    if (model.config().architecture == checkpoint::Architecture::kDistilBert) batch.type_ids.clear();
    const auto labels = torch::tensor(step.at("labels").get<std::vector<std::int64_t>>(), torch::kLong);
    auto optimizer = MakeAdamW(module, step.at("lr").get<double>(), step.at("weight_decay").get<double>());
    const double loss = TrainingStep(module, *optimizer, module.Logits(ToEncoderInputs(batch)), labels, LossOptions{},
                                     step.at("max_grad_norm").get<double>());
    EXPECT_NEAR(loss, step.at("loss").get<double>(), 1e-5);
    const auto after = model.Logits(batch);
    const auto expected = step.at("logits_after").get<std::vector<float>>();
    ASSERT_EQ(after.size(), expected.size());
    double worst = 0;
    for (std::size_t i = 0; i < after.size(); ++i) worst = std::max(worst, std::abs(double(after[i]) - expected[i]));
    std::printf("%s: loss %.6f, max |logit difference| after one step %.3g\n", c.at("name").get<std::string>().c_str(),
                loss, worst);
    EXPECT_LE(worst, 1e-4);
    ++checked;
  }
  EXPECT_EQ(checked, 2u);
}

// Label smoothing e: the loss is (1 - e) * NLL(true class) + e * mean over classes of -log p (transformers'
// LabelSmoother and torch's label_smoothing agree on this), computed here by hand from the logits before the step.
TEST(TrainingStepParity, LabelSmoothingLossIsTheSmoothedCrossEntropy) {
  const char* path = std::getenv("FASTINTENT_REFERENCE_JSON");
  ASSERT_NE(path, nullptr) << "FASTINTENT_REFERENCE_JSON is not set";
  const json reference = json::parse(std::ifstream(path));
  const json* found = nullptr;
  for (const json& c : reference.at("cases")) {
    if (c.contains("training_step")) found = &c;
  }
  ASSERT_NE(found, nullptr);
  const json& c = *found;
  auto model = TorchClassifier::Load(c.at("dir").get<std::string>());
  auto& module = *model.impl().module;
  module.eval();
  TokenBatch batch{c.at("batch").get<std::size_t>(), c.at("sequence").get<std::size_t>(),
                   c.at("ids").get<std::vector<std::int64_t>>(), c.at("mask").get<std::vector<std::int64_t>>(),
                   c.at("type_ids").get<std::vector<std::int64_t>>()};
  if (model.config().architecture == checkpoint::Architecture::kDistilBert) batch.type_ids.clear();
  const auto label_ids = c.at("training_step").at("labels").get<std::vector<std::int64_t>>();
  const auto before = model.Logits(batch);
  const std::size_t classes = before.size() / batch.batch;
  ASSERT_EQ(label_ids.size(), batch.batch);

  const double smoothing = 0.1;
  double expected = 0, expected_plain = 0;
  for (std::size_t row = 0; row < batch.batch; ++row) {
    const float* logits = before.data() + row * classes;
    double max_logit = logits[0];
    for (std::size_t k = 1; k < classes; ++k) max_logit = std::max(max_logit, double(logits[k]));
    double sum = 0;
    for (std::size_t k = 0; k < classes; ++k) sum += std::exp(logits[k] - max_logit);
    const double log_sum = max_logit + std::log(sum);
    double mean_negative_log_p = 0;
    for (std::size_t k = 0; k < classes; ++k) mean_negative_log_p += (log_sum - logits[k]) / double(classes);
    const double nll = log_sum - logits[static_cast<std::size_t>(label_ids[row])];
    expected += ((1 - smoothing) * nll + smoothing * mean_negative_log_p) / double(batch.batch);
    expected_plain += nll / double(batch.batch);
  }
  auto optimizer = MakeAdamW(module, 1e-3, 0.0);
  LossOptions smoothed;
  smoothed.label_smoothing = smoothing;
  const double loss = TrainingStep(module, *optimizer, module.Logits(ToEncoderInputs(batch)),
                                   torch::tensor(label_ids, torch::kLong), smoothed, 1.0);
  ASSERT_GT(std::abs(expected - expected_plain), 1e-3) << "the case must be one where smoothing changes the loss";
  EXPECT_NEAR(loss, expected, 1e-5);
}

TEST(TrainingStepParity, LinearScheduleWithWarmup) {
  // transformers: lr * step / warmup during warm-up, then lr * (total - step) / (total - warmup).
  EXPECT_DOUBLE_EQ(LinearScheduleLearningRate(1.0, 0, 4, 20), 0.0);
  EXPECT_DOUBLE_EQ(LinearScheduleLearningRate(1.0, 2, 4, 20), 0.5);
  EXPECT_DOUBLE_EQ(LinearScheduleLearningRate(1.0, 4, 4, 20), 1.0);
  EXPECT_DOUBLE_EQ(LinearScheduleLearningRate(1.0, 12, 4, 20), 0.5);
  EXPECT_DOUBLE_EQ(LinearScheduleLearningRate(1.0, 20, 4, 20), 0.0);
  EXPECT_DOUBLE_EQ(LinearScheduleLearningRate(2.0, 0, 0, 10), 2.0);
}

}  // namespace
}  // namespace fastintent::train
