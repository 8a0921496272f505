// The fallback sample file: personal data masked, the rate limit, rotation, and a clear error for a path that
// cannot be written.
#include "fallback_sample.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fastintent/common/error.h"

namespace fastintent::serve {
namespace {

namespace fs = std::filesystem;

TEST(MaskPersonalData, MasksEmailsLinksAndLongNumbers) {
  EXPECT_EQ(MaskPersonalData("позвоните на +7 (912) 345-67-89 пожалуйста"), "позвоните на <number> пожалуйста");
  EXPECT_EQ(MaskPersonalData("карта 4276 1234 5678 9012 заблокирована"), "карта <number> заблокирована");
  EXPECT_EQ(MaskPersonalData("пишите на ivan.petrov+bills@mail.example.ru, жду"), "пишите на <email>, жду");
  EXPECT_EQ(MaskPersonalData("см. https://lk.example.ru/bill?id=77 и www.example.com/x"), "см. <url> и <url>");
  EXPECT_EQ(MaskPersonalData("списали 350 руб"), "списали <number> руб");
  EXPECT_EQ(MaskPersonalData("номер 89123456789"), "номер <number>");
}

TEST(MaskPersonalData, KeepsShortNumbersAndOtherText) {
  EXPECT_EQ(MaskPersonalData("подключите 5 гб на 3 дня"), "подключите 5 гб на 3 дня");
  EXPECT_EQ(MaskPersonalData("хочу сменить тариф на интернет"), "хочу сменить тариф на интернет");
  EXPECT_EQ(MaskPersonalData("cancel my card, 2 times charged"), "cancel my card, 2 times charged");
  EXPECT_EQ(MaskPersonalData(""), "");
  const std::string invalid_utf8 = "текст \xff\xfe 12345 конец";
  EXPECT_EQ(MaskPersonalData(invalid_utf8), "текст \xff\xfe <number> конец");
}

class FallbackSamplerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fastintent_fallback_sample_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::vector<nlohmann::json> Lines(const fs::path& path) {
    std::vector<nlohmann::json> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  static runtime::Prediction Handed(const std::string& label, float score) {
    runtime::Prediction prediction;
    prediction.label = label;
    prediction.score = score;
    prediction.fallback = true;
    prediction.top = {{label, score, 1.0f}, {"other", 1.0f - score, 0.5f}};
    return prediction;
  }

  fs::path dir_;
};

TEST_F(FallbackSamplerTest, WritesOneMaskedJsonLinePerRecord) {
  FallbackSampleOptions options;
  options.file = (dir_ / "fallback.jsonl").string();
  FallbackSampler sampler(options);
  const auto prediction = Handed("change_tariff", 0.41f);
  EXPECT_EQ(sampler.Offer({"ru", "v1", "/predict", "req-1", "мой номер 8 912 345 67 89, смените тариф", &prediction}),
            SampleOutcome::kWritten);
  const auto lines = Lines(options.file);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["text"], "мой номер <number>, смените тариф");
  EXPECT_EQ(lines[0]["masked"], true);
  EXPECT_EQ(lines[0]["model"], "ru");
  EXPECT_EQ(lines[0]["model_version"], "v1");
  EXPECT_EQ(lines[0]["endpoint"], "/predict");
  EXPECT_EQ(lines[0]["request_id"], "req-1");
  EXPECT_EQ(lines[0]["label"], "change_tariff");
  EXPECT_NEAR(lines[0]["score"].get<double>(), 0.41, 1e-6);
  ASSERT_EQ(lines[0]["top"].size(), 2u);
  EXPECT_EQ(lines[0]["top"][1]["label"], "other");
  EXPECT_TRUE(lines[0].contains("time"));
}

TEST_F(FallbackSamplerTest, UnmaskedWhenAsked) {
  FallbackSampleOptions options;
  options.file = (dir_ / "fallback.jsonl").string();
  options.mask_personal_data = false;
  FallbackSampler sampler(options);
  const auto prediction = Handed("a", 0.3f);
  sampler.Offer({"m", "v", "/v1/classify", "r", "call 8 912 345 67 89", &prediction});
  const auto lines = Lines(options.file);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["text"], "call 8 912 345 67 89");
  EXPECT_EQ(lines[0]["masked"], false);
}

TEST_F(FallbackSamplerTest, RateLimitHoldsATenthOfAMinute) {
  FallbackSampleOptions options;
  options.file = (dir_ / "fallback.jsonl").string();
  options.per_minute = 60;  // one a second, bursts of 6
  FallbackSampler sampler(options);
  const auto prediction = Handed("a", 0.3f);
  const auto started = std::chrono::steady_clock::now();
  std::size_t written = 0;
  for (int i = 0; i < 50; ++i) {
    written += sampler.Offer({"m", "v", "/predict", "r", "text", &prediction}) == SampleOutcome::kWritten;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_GE(written, 6u);
  EXPECT_LE(static_cast<double>(written), 6.0 + seconds + 1.0);  // the refill during the loop, whatever its speed
  EXPECT_EQ(Lines(options.file).size(), written);
}

TEST_F(FallbackSamplerTest, RotatesAndKeepsTheConfiguredFiles) {
  FallbackSampleOptions options;
  options.file = (dir_ / "fallback.jsonl").string();
  options.per_minute = 60000;  // bursts of 6000: no refusals here
  options.max_file_bytes = 4096;
  options.max_files = 2;
  FallbackSampler sampler(options);
  const auto prediction = Handed("a", 0.3f);
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(sampler.Offer({"m", "v", "/predict", "req-" + std::to_string(i), "some handed-off text", &prediction}),
              SampleOutcome::kWritten);
  }
  EXPECT_TRUE(fs::exists(dir_ / "fallback.jsonl"));
  EXPECT_TRUE(fs::exists(dir_ / "fallback.1.jsonl"));
  EXPECT_TRUE(fs::exists(dir_ / "fallback.2.jsonl"));
  EXPECT_FALSE(fs::exists(dir_ / "fallback.3.jsonl"));
  for (const auto* name : {"fallback.jsonl", "fallback.1.jsonl", "fallback.2.jsonl"}) {
    EXPECT_LE(fs::file_size(dir_ / name), 4096u) << name;
  }
  // The newest record is in the current file, and every kept line is whole JSON.
  const auto current = Lines(dir_ / "fallback.jsonl");
  ASSERT_FALSE(current.empty());
  EXPECT_EQ(current.back()["request_id"], "req-199");
  EXPECT_FALSE(Lines(dir_ / "fallback.2.jsonl").empty());
}

TEST_F(FallbackSamplerTest, UnwritablePathIsAClearError) {
  FallbackSampleOptions options;
  fs::create_directories(dir_ / "blocker");
  std::ofstream(dir_ / "blocker" / "file") << "x";
  options.file = (dir_ / "blocker" / "file" / "fallback.jsonl").string();  // a path under a regular file
  try {
    FallbackSampler sampler(options);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("--fallback-sample"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fastintent::serve
