// The n-gram baseline behind the engine's Classifier interface (runtime/ngram_engine.h): Classifier::Load
// picks it from config.json, and every path (Classify, Prepare + ClassifyPrepared, Logits, LogitsPrepared) gives the
// n-gram library's own prediction.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"
#include "fastintent/ngram/ngram.h"
#include "fastintent/runtime/classifier.h"
#include "scoring.h"

namespace fastintent::runtime {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTexts = {"хочу сменить тариф на интернет",
                                         "инет не работает с утра!!!",
                                         "BALANCE kakoi u menya",
                                         "позовите живого оператора",
                                         "спасибо",
                                         "ʬʬʬ",
                                         "a"};

// A real model: the telecom set's first 300 training rows (a few seconds of liblinear).
const fs::path& TrainedModel() {
  static const fs::path dir = [] {
    fs::path out = fs::temp_directory_path() / "fastintent_ngram_engine_test";
    fs::remove_all(out);
    auto examples = data::ReadExamples(fs::path(FASTINTENT_TEST_DATA_ROOT) / "telecom-ru" / "train.csv");
    examples.resize(std::min<std::size_t>(examples.size(), 300));
    ngram::TrainNgramModel(examples, ngram::NgramOptions{}, out);
    return out;
  }();
  return dir;
}

TEST(NgramEngine, LoadPicksTheNgramEngineAndDescribesIt) {
  ClassifierOptions options;
  options.quantized = true;  // ignored: an n-gram model has one form
  const auto classifier = Classifier::Load(TrainedModel(), options);
  const auto reference = ngram::NgramClassifier::Load(TrainedModel());
  const ModelInfo& info = classifier->info();
  EXPECT_EQ(info.labels, reference->labels());
  EXPECT_EQ(info.max_length, 0u);
  EXPECT_FALSE(info.quantized);
  EXPECT_EQ(info.version.size(), 12u);
  EXPECT_EQ(info.model_file, TrainedModel() / "weights.bin");
}

TEST(NgramEngine, EveryPathGivesTheNgramLibrarysPrediction) {
  const auto classifier = Classifier::Load(TrainedModel());
  const auto reference = ngram::NgramClassifier::Load(TrainedModel());
  const auto predictions = classifier->Classify(kTexts, 3);
  std::vector<PreparedText> tokenized;
  for (const auto& text : kTexts) tokenized.push_back(classifier->Prepare(text));
  const auto batched = classifier->ClassifyPrepared(tokenized, 3);
  const auto logits = classifier->Logits(kTexts);
  EXPECT_EQ(classifier->LogitsPrepared(tokenized), logits);
  ASSERT_EQ(predictions.size(), kTexts.size());
  ASSERT_EQ(batched.size(), kTexts.size());
  ASSERT_EQ(logits.size(), kTexts.size());
  for (std::size_t i = 0; i < kTexts.size(); ++i) {
    SCOPED_TRACE(kTexts[i]);
    const auto expected = reference->Predict(kTexts[i]);
    EXPECT_EQ(predictions[i].label, expected.label);
    EXPECT_NEAR(predictions[i].score, expected.score, 1e-6);
    EXPECT_FALSE(predictions[i].truncated);
    ASSERT_EQ(predictions[i].top.size(), 3u);
    EXPECT_GE(predictions[i].top[0].score, predictions[i].top[1].score);
    EXPECT_EQ(batched[i].label, predictions[i].label);
    EXPECT_FLOAT_EQ(batched[i].score, predictions[i].score);
    const auto probabilities = Softmax(logits[i]);
    ASSERT_EQ(probabilities.size(), expected.probabilities.size());
    for (std::size_t k = 0; k < probabilities.size(); ++k)
      EXPECT_NEAR(probabilities[k], expected.probabilities[k], 1e-6);
  }
  EXPECT_TRUE(classifier->Prepare("").ids.empty()) << "no known n-gram: scored from the bias alone";
  EXPECT_GT(classifier->Prepare(std::string(5000, 'a') + " тариф").ids.size(), 5000u) << "no token limit";
}

TEST(NgramEngine, BadFeatureIdsAndBrokenDirectoriesAreClearErrors) {
  const auto classifier = Classifier::Load(TrainedModel());
  PreparedText bad;
  bad.ids = {-3};
  EXPECT_THROW(classifier->ClassifyPrepared({bad}, 1), InvalidInput);
  bad.ids = {1LL << 40};
  EXPECT_THROW(classifier->ClassifyPrepared({bad}, 1), InvalidInput);

  const fs::path broken = fs::temp_directory_path() / "fastintent_ngram_engine_broken";
  fs::remove_all(broken);
  fs::copy(TrainedModel(), broken);
  fs::resize_file(broken / "weights.bin", 20);
  EXPECT_THROW(Classifier::Load(broken), InvalidInput);
  fs::remove(broken / "weights.bin");
  try {
    Classifier::Load(broken);
    ADD_FAILURE() << "a missing weights.bin must be refused";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("weights.bin"), std::string::npos) << e.what();
  }
}

TEST(NgramEngine, VersionFollowsTheModelFiles) {
  const fs::path copy = fs::temp_directory_path() / "fastintent_ngram_engine_version";
  fs::remove_all(copy);
  fs::copy(TrainedModel(), copy);
  const std::string before = Classifier::Load(copy)->info().version;
  EXPECT_EQ(Classifier::Load(copy)->info().version, before);
  std::ofstream(copy / "config.json", std::ios::app) << "\n";
  EXPECT_NE(Classifier::Load(copy)->info().version, before);
}

}  // namespace
}  // namespace fastintent::runtime
