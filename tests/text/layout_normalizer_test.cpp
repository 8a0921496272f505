// The keyboard-layout and transliteration normalizer: the same text as the reference (tools/text/
// layout_normalizer.py) on every golden, and the promises of its header (bytes kept, clear errors).
#include "fastintent/text/layout_normalizer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "fastintent/common/error.h"

namespace fastintent::text {
namespace {

namespace fs = std::filesystem;

const LayoutNormalizer& Normalizer() {
  static const LayoutNormalizer normalizer = LayoutNormalizer::FromFile(FASTINTENT_LAYOUT_TABLE);
  return normalizer;
}

TEST(LayoutNormalizer, MatchesTheReferenceOnEveryGolden) {
  const char* goldens = std::getenv("FASTINTENT_LAYOUT_GOLDENS");
  if (goldens == nullptr) GTEST_SKIP() << "FASTINTENT_LAYOUT_GOLDENS is not set (ctest sets it)";
  std::ifstream in(goldens);
  ASSERT_TRUE(in) << goldens;
  std::size_t rows = 0, changed = 0;
  for (std::string line; std::getline(in, line);) {
    const auto row = nlohmann::json::parse(line);
    const auto text = row.at("text").get<std::string>();
    const auto expected = row.at("normalized").get<std::string>();
    EXPECT_EQ(Normalizer().Normalize(text), expected) << "text: " << text;
    ++rows;
    changed += text != expected;
  }
  EXPECT_GT(rows, 500u);
  EXPECT_GT(changed, 100u);  // the corpus exercises both ways: rewritten and kept
}

TEST(LayoutNormalizer, RewritesWrongLayoutAndTranslitKeepsEnglish) {
  EXPECT_EQ(Normalizer().Normalize("gjkexbncz kb gjrf jnrk.xbnm"), "получится ли пока отключить");
  EXPECT_EQ(Normalizer().Normalize("internet ne rabotaet"), "интернет не работает");
  EXPECT_EQ(Normalizer().Normalize("how to set up my wifi"), "how to set up my wifi");
  EXPECT_EQ(Normalizer().Normalize("не работает wifi"), "не работает wifi");
}

TEST(LayoutNormalizer, KeepsBytesOfTextsAndTokensItDoesNotRewrite) {
  EXPECT_EQ(Normalizer().Normalize(""), "");
  EXPECT_EQ(Normalizer().Normalize("хочу сменить тариф, 300 руб"), "хочу сменить тариф, 300 руб");
  const std::string invalid = "\xff\xfe сменить \xc3";
  EXPECT_EQ(Normalizer().Normalize(invalid), invalid);  // no ASCII letter: untouched, invalid bytes included
  const std::string mixed = "\xff tarif";               // the invalid token is not Latin: it keeps its bytes
  EXPECT_EQ(Normalizer().Normalize(mixed), "\xff тариф");
}

class LayoutNormalizerFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fastintent_layout_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path Write(const std::string& text) {
    const auto path = dir_ / "table.json";
    std::ofstream(path) << text;
    return path;
  }
  fs::path dir_;
};

TEST_F(LayoutNormalizerFiles, MissingFileIsAnIoError) {
  EXPECT_THROW(LayoutNormalizer::FromFile(dir_ / "absent.json"), IoError);
}

TEST_F(LayoutNormalizerFiles, WrongContentIsInvalidInputNamingTheField) {
  EXPECT_THROW(LayoutNormalizer::FromFile(Write("not json")), InvalidInput);
  EXPECT_THROW(LayoutNormalizer::FromFile(Write(R"({"type": "other", "version": 1})")), InvalidInput);
  try {
    LayoutNormalizer::FromFile(Write(R"({"type": "ru_layout_translit", "version": 1, "layout": {}, "translit": {}})"));
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("max_spellings"), std::string::npos) << e.what();
  }
}

TEST_F(LayoutNormalizerFiles, ASmallTableWorksAsTheFullOne) {
  const auto path = Write(R"({"type": "ru_layout_translit", "version": 1,
    "layout": {"n": "т", "f": "а", "h": "р", "b": "и", "a": "ф"},
    "translit": {"т": ["t"], "а": ["a"], "р": ["r"], "и": ["i"], "ф": ["f"]},
    "max_spellings": 16, "max_piece_chars": 24, "margin_layout": 0.0, "margin_translit": -3.0,
    "lm": {"unk_score": -30.0, "latin": [["▁tar", -12.0]], "cyrillic": [["▁тариф", -9.0]]}})");
  const auto normalizer = LayoutNormalizer::FromFile(path);
  EXPECT_EQ(normalizer.Normalize("nfhba"), "тариф");  // layout: one piece against five unknown characters
  EXPECT_EQ(normalizer.Normalize("tarif"), "тариф");  // translit: the index spells ▁тариф as ▁tarif
}

}  // namespace
}  // namespace fastintent::text
