// The C++ n-gram baseline against the same pipeline in scikit-learn (tools/data/reference_ngram.py fit):
// trained on the same train split, its test accuracy must be within 1 point of sklearn's and the two must
// agree on at least 95% of test predictions (liblinear builds differ: sklearn bundles its own copy).
// Prints the measured figures (accuracy, F1, training time) for docs/quality.md.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "fastintent/data/dataset.h"
#include "fastintent/data/metrics.h"
#include "fastintent/ngram/ngram.h"

namespace fastintent::ngram {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

TEST(NgramQuality, MatchesScikitLearnOnTheTestSplit) {
  const auto train_file = Env("FASTINTENT_NGRAM_TRAIN"), test_file = Env("FASTINTENT_NGRAM_TEST");
  const auto reference_file = Env("FASTINTENT_NGRAM_REFERENCE"), model_dir = Env("FASTINTENT_NGRAM_MODEL_DIR");
  ASSERT_FALSE(train_file.empty() || test_file.empty() || reference_file.empty() || model_dir.empty())
      << "run through ctest (FASTINTENT_NGRAM_TRAIN/TEST/REFERENCE/MODEL_DIR)";
  std::ifstream in(reference_file);
  ASSERT_TRUE(in) << "cannot open " << reference_file;
  const auto reference = nlohmann::json::parse(in);

  const auto train = data::ReadExamples(train_file);
  const auto test = data::ReadExamples(test_file);
  NgramOptions options;
  options.c = reference["C"].get<double>();
  const auto summary = TrainNgramModel(train, options, model_dir);
  const auto classifier = NgramClassifier::Load(model_dir);

  const auto& labels = classifier->labels();
  std::vector<int> truth, predicted;
  std::size_t agree = 0;
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < test.size(); ++i) {
    const auto p = classifier->Predict(test[i].text);
    predicted.push_back(p.class_id);
    truth.push_back(static_cast<int>(std::lower_bound(labels.begin(), labels.end(), test[i].label) - labels.begin()));
    if (p.label == reference["predicted"][i].get<std::string>()) ++agree;
  }
  const double predict_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto metrics = data::ComputeMetrics(labels, truth, predicted);
  const double agreement = static_cast<double>(agree) / static_cast<double>(test.size());

  std::cout << "fastintent n-gram: accuracy " << metrics.accuracy << "  F1 macro " << metrics.f1_macro
            << "  F1 weighted " << metrics.f1_weighted << "  train " << summary.seconds << " s  ("
            << summary.word_features << " word + " << summary.char_features << " char features, " << train.size()
            << " train / " << test.size() << " test)  predict "
            << 1000.0 * predict_seconds / static_cast<double>(test.size()) << " ms/text\n"
            << "sklearn:           accuracy " << reference["accuracy"].get<double>() << "  F1 macro "
            << reference["f1_macro"].get<double>() << "  F1 weighted " << reference["f1_weighted"].get<double>()
            << "  train " << reference["train_seconds"].get<double>() << " s\n"
            << "agreement with sklearn predictions: " << agreement << "\n";
  EXPECT_NEAR(metrics.accuracy, reference["accuracy"].get<double>(), 0.01);
  EXPECT_NEAR(metrics.f1_macro, reference["f1_macro"].get<double>(), 0.01);
  EXPECT_GE(agreement, 0.95);
}

}  // namespace
}  // namespace fastintent::ngram
