// config.json's classifier settings: read with their ranges, written back by UpdateConfigJson, round trip.
#include "fastintent/checkpoint/classifier_settings.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

class ClassifierSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("fastintent_settings_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path Write(const std::string& json) {
    const auto path = dir_ / "config.json";
    std::ofstream(path) << json;
    return path;
  }
  ClassifierSettings Read(const std::string& json, std::size_t labels = 3) {
    return ReadClassifierSettings(ConfigView::Read(Write(json)), labels);
  }

  std::filesystem::path dir_;
};

TEST_F(ClassifierSettingsTest, AbsentKeysKeepDefaults) {
  const auto s = Read(R"({"model_type": "bert"})");
  EXPECT_EQ(s.input_prefix, "");
  EXPECT_FALSE(s.multi_label);
  EXPECT_FALSE(s.temperature);
  EXPECT_FALSE(s.fallback_threshold);
  EXPECT_FALSE(s.fallback_margin);
  EXPECT_TRUE(s.label_thresholds.empty());
}

TEST_F(ClassifierSettingsTest, ReadsEveryKey) {
  const auto s = Read(R"({"fastintent_input_prefix": "query: ", "problem_type": "multi_label_classification",
                          "fastintent_temperature": 1.7, "fallback_threshold": 0.4, "fastintent_fallback_margin": 0.1,
                          "fastintent_label_thresholds": [0.3, 0.5, 0.9]})");
  EXPECT_EQ(s.input_prefix, "query: ");
  EXPECT_TRUE(s.multi_label);
  EXPECT_DOUBLE_EQ(*s.temperature, 1.7);
  EXPECT_DOUBLE_EQ(*s.fallback_threshold, 0.4);
  EXPECT_DOUBLE_EQ(*s.fallback_margin, 0.1);
  EXPECT_EQ(s.label_thresholds, (std::vector<double>{0.3, 0.5, 0.9}));
}

TEST_F(ClassifierSettingsTest, RejectsWrongValuesNamingTheKey) {
  const auto expect_error = [&](const std::string& json, const std::string& key) {
    try {
      Read(json);
      ADD_FAILURE() << "accepted " << json;
    } catch (const InvalidInput& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  expect_error(R"({"problem_type": "regression"})", "problem_type");
  expect_error(R"({"fastintent_temperature": 0})", "fastintent_temperature");
  expect_error(R"({"fastintent_temperature": "hot"})", "fastintent_temperature");
  expect_error(R"({"fallback_threshold": 1.5})", "fallback_threshold");
  expect_error(R"({"fastintent_fallback_margin": -0.1})", "fastintent_fallback_margin");
  expect_error(R"({"fastintent_label_thresholds": [0.5, 0.5]})", "fastintent_label_thresholds");
  expect_error(R"({"fastintent_label_thresholds": [0.5, 0.5, 2]})", "fastintent_label_thresholds");
}

TEST_F(ClassifierSettingsTest, WriteThenReadRoundTripsAndKeepsOtherKeys) {
  const auto path = Write(R"({"model_type": "bert", "fallback_threshold": 0.3, "fastintent_temperature": 2.0})");
  ClassifierSettings s;
  s.input_prefix = "query: ";
  s.multi_label = true;
  s.fallback_margin = 0.05;
  s.label_thresholds = {0.2, 0.4, 0.6};
  UpdateConfigJson(path, ClassifierSettingsUpdates(s));
  const auto view = ConfigView::Read(path);
  EXPECT_EQ(view.StringOr("model_type", ""), "bert");
  const auto back = ReadClassifierSettings(view, 3);
  EXPECT_EQ(back.input_prefix, "query: ");
  EXPECT_TRUE(back.multi_label);
  EXPECT_FALSE(back.temperature);  // unset values remove their key
  EXPECT_FALSE(back.fallback_threshold);
  EXPECT_DOUBLE_EQ(*back.fallback_margin, 0.05);
  EXPECT_EQ(back.label_thresholds, s.label_thresholds);
}

}  // namespace
}  // namespace fastintent::checkpoint
