// A model directory with text_normalizer.json: the runtime reads wrong-layout and transliterated Russian as its
// Cyrillic reading (single texts and both texts of a pair), says so in ModelInfo, and a broken table is a clear
// load error. Starts from a copy of the committed BERT fixture.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "fastintent/common/error.h"
#include "fastintent/runtime/classifier.h"
#include "fixture_paths.h"

namespace fastintent::runtime {
namespace {

namespace fs = std::filesystem;

class NormalizedModelDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fastintent_runtime_normalizer_" + std::to_string(std::random_device{}()) +
                                        "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    fs::copy(testing::FixtureRoot() / "bert", dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(NormalizedModelDir, PreparesTheCyrillicReading) {
  const auto plain = Classifier::Load(dir_);
  EXPECT_FALSE(plain->info().text_normalizer);
  EXPECT_NE(plain->Prepare("[jxe cvtybnm nfhba").ids, plain->Prepare("хочу сменить тариф").ids);

  fs::copy_file(FASTINTENT_LAYOUT_TABLE, dir_ / "text_normalizer.json");
  const auto model = Classifier::Load(dir_);
  EXPECT_TRUE(model->info().text_normalizer);
  EXPECT_EQ(model->Prepare("[jxe cvtybnm nfhba").ids, model->Prepare("хочу сменить тариф").ids);
  EXPECT_EQ(model->Prepare("internet ne rabotaet").ids, model->Prepare("интернет не работает").ids);
  EXPECT_EQ(model->Prepare("reset my password").ids, plain->Prepare("reset my password").ids);
  EXPECT_EQ(model->PreparePair("nfhba", "internet ne rabotaet").ids,
            model->PreparePair("тариф", "интернет не работает").ids);
  EXPECT_EQ(model->Logits({"[jxe cvtybnm nfhba"}), model->Logits({"хочу сменить тариф"}));
}

TEST_F(NormalizedModelDir, BrokenTableIsALoadError) {
  std::ofstream(dir_ / "text_normalizer.json") << R"({"type": "something else"})";
  try {
    Classifier::Load(dir_);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("text_normalizer.json"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fastintent::runtime
