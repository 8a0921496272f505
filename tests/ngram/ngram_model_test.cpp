#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/ngram/ngram.h"

namespace fastintent::ngram {
namespace {

std::filesystem::path TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("fastintent_ngram_test_" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

std::vector<data::Example> SmallData() {
  return {{"инет не пашет", "internet_down"},
          {"интернет не работает третий день", "internet_down"},
          {"нет интернета дома", "internet_down"},
          {"хочу сменить тариф", "change_tariff"},
          {"как поменять тариф на дешевле", "change_tariff"},
          {"смена тарифа", "change_tariff"},
          {"какой у меня баланс", "balance"},
          {"сколько денег на счету", "balance"},
          {"проверить баланс", "balance"}};
}

TEST(NgramModel, TrainsLoadsAndPredicts) {
  const auto dir = TempDir("train");
  auto summary = TrainNgramModel(SmallData(), NgramOptions{}, dir);
  EXPECT_EQ(summary.examples, 9u);
  EXPECT_EQ(summary.classes, 3u);
  EXPECT_GT(summary.word_features, 10u);
  EXPECT_GT(summary.char_features, 100u);
  ASSERT_EQ(checkpoint::ReadModelDirectory(dir).kind, checkpoint::ModelKind::kNgram);

  auto classifier = NgramClassifier::Load(dir);
  EXPECT_EQ(classifier->labels(), (std::vector<std::string>{"balance", "change_tariff", "internet_down"}));
  for (const auto& example : SmallData()) {
    auto prediction = classifier->Predict(example.text);
    EXPECT_EQ(prediction.label, example.label) << example.text;
    EXPECT_NEAR(std::accumulate(prediction.probabilities.begin(), prediction.probabilities.end(), 0.0), 1.0, 1e-5);
    EXPECT_EQ(prediction.score, prediction.probabilities[static_cast<std::size_t>(prediction.class_id)]);
  }
  EXPECT_EQ(classifier->Predict("тариф поменять хочу").label, "change_tariff");
  // Unseen text, empty text and invalid UTF-8 still get an answer.
  EXPECT_EQ(classifier->Predict("").probabilities.size(), 3u);
  EXPECT_EQ(classifier->Predict("\xFF\xFE").probabilities.size(), 3u);
  EXPECT_EQ(classifier->PredictBatch({"баланс", "тариф"}).size(), 2u);
}

// With a layout normalizer the model reads wrong-layout and transliterated Russian as the Cyrillic text, at training
// (a Latin training phrase counts as its Cyrillic reading) and at prediction (the table travels in the directory).
TEST(NgramModel, LayoutNormalizerIsAppliedAtTrainingAndStoredForPrediction) {
  const auto dir = TempDir("normalizer");
  NgramOptions options;
  options.text_normalizer = FASTINTENT_LAYOUT_TABLE;
  auto data = SmallData();
  data.push_back({"ghjdthbnm ,fkfyc", "balance"});  // «проверить баланс» typed with the QWERTY layout on
  TrainNgramModel(data, options, dir);
  ASSERT_TRUE(std::filesystem::is_regular_file(dir / "text_normalizer.json"));
  const auto classifier = NgramClassifier::Load(dir);
  for (const auto& [latin, cyrillic] : {std::pair{"[jxe cvtybnm nfhba", "хочу сменить тариф"},
                                        std::pair{"internet ne rabotaet", "интернет не работает"},
                                        std::pair{"ghjdthbnm ,fkfyc", "проверить баланс"}}) {
    const auto typed = classifier->Predict(latin);
    const auto expected = classifier->Predict(cyrillic);
    EXPECT_EQ(typed.label, expected.label) << latin;
    EXPECT_EQ(typed.probabilities, expected.probabilities) << latin;
    EXPECT_EQ(classifier->FeatureIds(latin), classifier->FeatureIds(cyrillic)) << latin;
  }
  // Without the option no table is stored, and the Latin phrase is read as typed.
  const auto plain_dir = TempDir("normalizer_plain");
  TrainNgramModel(data, NgramOptions{}, plain_dir);
  EXPECT_FALSE(std::filesystem::exists(plain_dir / "text_normalizer.json"));
  const auto plain = NgramClassifier::Load(plain_dir);
  EXPECT_NE(plain->FeatureIds("[jxe cvtybnm nfhba"), plain->FeatureIds("хочу сменить тариф"));
}

TEST(NgramModel, MissingNormalizerTableIsAClearError) {
  NgramOptions options;
  options.text_normalizer = "/nonexistent/table.json";
  EXPECT_THROW(TrainNgramModel(SmallData(), options, TempDir("normalizer_missing")), IoError);
}

// The split form the server uses (featurize on one thread, score on another) gives Predict's answer exactly.
TEST(NgramModel, FeatureIdsThenPredictFeaturesEqualsPredict) {
  const auto dir = TempDir("features");
  TrainNgramModel(SmallData(), NgramOptions{}, dir);
  auto classifier = NgramClassifier::Load(dir);
  for (const std::string text : {"инет не пашет вообще", "БАЛАНС??", "тариф тариф тариф", "", "qwerty"}) {
    const auto ids = classifier->FeatureIds(text);
    for (const int id : ids) {
      EXPECT_GE(id, 0);
      EXPECT_LT(static_cast<std::size_t>(id), classifier->feature_count());
    }
    const auto whole = classifier->Predict(text);
    const auto split = classifier->PredictFeatures(ids);
    EXPECT_EQ(split.label, whole.label) << text;
    EXPECT_EQ(split.probabilities, whole.probabilities) << text;
  }
  EXPECT_GT(classifier->FeatureIds("тариф тариф").size(), classifier->FeatureIds("тариф").size())
      << "repeated n-grams are kept (they raise the term frequency)";
  EXPECT_TRUE(classifier->FeatureIds("").empty());
  EXPECT_THROW(classifier->PredictFeatures({-1}), InvalidInput);
  EXPECT_THROW(classifier->PredictFeatures({static_cast<int>(classifier->feature_count())}), InvalidInput);
}

TEST(NgramModel, TwoClassesUseBothColumns) {
  const auto dir = TempDir("binary");
  std::vector<data::Example> examples{
      {"yes please", "yes"}, {"sure yes", "yes"}, {"no thanks", "no"}, {"nope no", "no"}};
  TrainNgramModel(examples, NgramOptions{}, dir);
  auto classifier = NgramClassifier::Load(dir);
  EXPECT_EQ(classifier->Predict("yes").label, "yes");
  EXPECT_EQ(classifier->Predict("no").label, "no");
  auto p = classifier->Predict("yes");
  EXPECT_NEAR(p.probabilities[0] + p.probabilities[1], 1.0, 1e-6);
}

TEST(NgramModel, RejectsBadTrainingInput) {
  const auto dir = TempDir("bad");
  EXPECT_THROW(TrainNgramModel({}, NgramOptions{}, dir), InvalidInput);
  EXPECT_THROW(TrainNgramModel({{"a b", "x"}, {"c d", "x"}}, NgramOptions{}, dir), InvalidInput);
  NgramOptions bad;
  bad.c = 0;
  EXPECT_THROW(TrainNgramModel(SmallData(), bad, dir), InvalidInput);
  bad = NgramOptions{};
  bad.char_min_n = 6;
  EXPECT_THROW(TrainNgramModel(SmallData(), bad, dir), InvalidInput);
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(NgramModel, LoadRejectsBrokenDirectories) {
  const auto dir = TempDir("broken");
  EXPECT_THROW(NgramClassifier::Load(dir), IoError);
  TrainNgramModel(SmallData(), NgramOptions{}, dir);
  std::filesystem::resize_file(dir / "weights.bin", 12);
  try {
    NgramClassifier::Load(dir);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& error) {
    EXPECT_NE(std::string(error.what()).find("weights.bin: got 12 bytes"), std::string::npos) << error.what();
  }
  std::ofstream(dir / "config.json") << "{\"model_type\": \"bert\", \"id2label\": {\"0\": \"a\", \"1\": \"b\"}}";
  EXPECT_EQ(checkpoint::ReadModelDirectory(dir).kind, checkpoint::ModelKind::kTransformer);
  EXPECT_THROW(NgramClassifier::Load(dir), InvalidInput);
}

}  // namespace
}  // namespace fastintent::ngram
