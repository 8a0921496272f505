// Parity with the reference stack (transformers logits, written by tools/fixtures/make_runtime_fixtures.py)
// for the committed tiny BERT and DistilBERT fixtures in both export forms, INT8 agreement, batch invariance
// and concurrent use.
#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "fastintent/runtime/classifier.h"
#include "fixture_paths.h"
#include "reference_logits.h"

namespace fastintent::runtime {
namespace {

using testing::FixtureRoot;
using testing::MaxAbsDiff;

const testing::Reference& SharedReference() {
  static const testing::Reference reference = testing::ReadReference(FixtureRoot() / "reference.json");
  return reference;
}

class RuntimeParity : public ::testing::TestWithParam<const char*> {
 protected:
  std::filesystem::path dir() const { return FixtureRoot() / GetParam(); }
  const testing::ReferenceModel& expected() const { return SharedReference().models.at(GetParam()); }
  const std::vector<std::string>& texts() const { return SharedReference().texts; }
};

TEST_P(RuntimeParity, ReferenceHasEnoughMixedTexts) {
  ASSERT_GE(texts().size(), 100u);
  ASSERT_EQ(expected().logits.size(), texts().size());
  std::size_t truncated = 0;
  for (bool t : expected().truncated) truncated += t ? 1 : 0;
  EXPECT_GE(truncated, 1u) << "the reference should include texts longer than max_length";
}

TEST_P(RuntimeParity, TokenIdsMatchReference) {
  const auto classifier = Classifier::Load(dir());
  for (std::size_t i = 0; i < texts().size(); ++i) {
    const auto tokenized = classifier->Prepare(texts()[i]);
    EXPECT_EQ(tokenized.ids, expected().ids[i]) << "text " << i << ": " << texts()[i];
    EXPECT_EQ(tokenized.truncated, expected().truncated[i]) << "text " << i;
  }
}

TEST_P(RuntimeParity, Fp32ThreeInputFormMatchesTransformers) {
  const auto classifier = Classifier::Load(dir());
  EXPECT_EQ(classifier->info().output_name, "logits");
  const auto logits = classifier->Logits(texts());  // mixed lengths, batches of 32
  float worst = 0.0f;
  for (std::size_t i = 0; i < texts().size(); ++i) worst = std::max(worst, MaxAbsDiff(logits[i], expected().logits[i]));
  std::printf("[%s] fp32 three-input form: max |logit - transformers| = %.3g over %zu texts\n", GetParam(), worst,
              texts().size());
  EXPECT_LE(worst, 1e-4f);
}

TEST_P(RuntimeParity, Fp32SeedFormMatchesTransformers) {
  ClassifierOptions options;
  options.model_file = dir() / "model_seed.onnx";
  const auto classifier = Classifier::Load(dir(), options);
  EXPECT_EQ(classifier->info().input_names, std::vector<std::string>{"input_ids"});
  EXPECT_EQ(classifier->info().output_name, "output");
  const auto logits = classifier->Logits(texts());
  float worst = 0.0f;
  for (std::size_t i = 0; i < texts().size(); ++i) worst = std::max(worst, MaxAbsDiff(logits[i], expected().logits[i]));
  std::printf("[%s] fp32 seed form: max |logit - transformers| = %.3g\n", GetParam(), worst);
  EXPECT_LE(worst, 1e-4f);
}

TEST_P(RuntimeParity, AloneEqualsInsideMixedLengthBatch) {
  for (const char* file : {"model.onnx", "model_seed.onnx"}) {
    ClassifierOptions options;
    options.model_file = dir() / file;
    options.max_batch_size = 1000;  // one batch with every length inside
    const auto classifier = Classifier::Load(dir(), options);
    const auto batched = classifier->Logits(texts());
    float worst = 0.0f;
    for (std::size_t i = 0; i < texts().size(); ++i) {
      worst = std::max(worst, MaxAbsDiff(classifier->Logits({texts()[i]}).front(), batched[i]));
    }
    std::printf("[%s] %s: max |alone - in batch| = %.3g\n", GetParam(), file, worst);
    EXPECT_LE(worst, 1e-5f) << file;
  }
}

TEST_P(RuntimeParity, ClassifyTokenizedMatchesClassify) {
  const auto classifier = Classifier::Load(dir());
  std::vector<PreparedText> batch;
  for (std::size_t i = 0; i < 20; ++i) batch.push_back(classifier->Prepare(texts()[i * 5]));
  const auto tokenized = classifier->ClassifyPrepared(batch, 3);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto direct = classifier->Classify({texts()[i * 5]}, 3).front();
    EXPECT_EQ(tokenized[i].label, direct.label);
    EXPECT_NEAR(tokenized[i].score, direct.score, 1e-5);
    ASSERT_EQ(tokenized[i].top.size(), 3u);
  }
}

TEST_P(RuntimeParity, Int8AgreesWithFp32OnTop1) {
  const auto fp32 = Classifier::Load(dir())->Classify(texts());
  ClassifierOptions options;
  options.quantized = true;
  const auto int8_classifier = Classifier::Load(dir(), options);
  EXPECT_TRUE(int8_classifier->info().quantized);
  const auto int8 = int8_classifier->Classify(texts());
  std::size_t agree = 0;
  for (std::size_t i = 0; i < texts().size(); ++i) agree += fp32[i].label == int8[i].label ? 1 : 0;
  const double rate = static_cast<double>(agree) / static_cast<double>(texts().size());
  std::printf("[%s] INT8 top-1 agreement with fp32: %zu/%zu = %.2f%%\n", GetParam(), agree, texts().size(),
              100.0 * rate);
  EXPECT_GE(rate, 0.99);
}

TEST_P(RuntimeParity, EightThreadsAtOnceGiveTheSameResults) {
  const auto classifier = Classifier::Load(dir());
  const auto expected_predictions = classifier->Classify(texts(), 3);
  constexpr int kThreads = 8;
  std::vector<std::vector<Prediction>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread walks the texts from a different start so that batches differ between threads.
      std::vector<std::string> rotated(texts().begin() + t, texts().end());
      rotated.insert(rotated.end(), texts().begin(), texts().begin() + t);
      for (int round = 0; round < 3; ++round) results[t] = classifier->Classify(rotated, 3);
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(results[t].size(), texts().size());
    for (std::size_t i = 0; i < texts().size(); ++i) {
      const auto& want = expected_predictions[(i + static_cast<std::size_t>(t)) % texts().size()];
      EXPECT_EQ(results[t][i].label, want.label) << "thread " << t << " text " << i;
      EXPECT_NEAR(results[t][i].score, want.score, 1e-5) << "thread " << t << " text " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RuntimeParity, ::testing::Values("bert", "distilbert"),
                         [](const auto& param_info) { return std::string(param_info.param); });

}  // namespace
}  // namespace fastintent::runtime
