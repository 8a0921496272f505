#include "scoring.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace fastintent::runtime {
namespace {

TEST(Softmax, SumsToOneAndKeepsOrder) {
  const auto p = Softmax({1.0f, 3.0f, 2.0f});
  EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-6);
  EXPECT_GT(p[1], p[2]);
  EXPECT_GT(p[2], p[0]);
  EXPECT_NEAR(p[1], 0.66524096f, 1e-6);  // e^3 / (e^1 + e^2 + e^3)
}

TEST(Softmax, LargeLogitsDoNotOverflow) {
  const auto p = Softmax({1000.0f, 999.0f});
  EXPECT_NEAR(p[0], 0.7310586f, 1e-6);
  EXPECT_NEAR(p[1], 0.2689414f, 1e-6);
}

TEST(MakePrediction, TopKBestFirstWithLabels) {
  const std::vector<std::string> labels{"a", "b", "c", "d"};
  const auto prediction = MakePrediction({0.1f, 2.0f, -1.0f, 1.0f}, labels, 3, true);
  EXPECT_EQ(prediction.label, "b");
  ASSERT_EQ(prediction.top.size(), 3u);
  EXPECT_EQ(prediction.top[0].label, "b");
  EXPECT_EQ(prediction.top[1].label, "d");
  EXPECT_EQ(prediction.top[2].label, "a");
  EXPECT_FLOAT_EQ(prediction.score, prediction.top[0].score);
  EXPECT_TRUE(prediction.truncated);
}

TEST(MakePrediction, TopKIsClampedAndTiesKeepLowerId) {
  const std::vector<std::string> labels{"x", "y"};
  const auto none = MakePrediction({0.5f, 0.5f}, labels, 0, false);
  ASSERT_EQ(none.top.size(), 1u);
  EXPECT_EQ(none.label, "x");
  const auto many = MakePrediction({0.5f, 0.5f}, labels, 10, false);
  ASSERT_EQ(many.top.size(), 2u);
  EXPECT_EQ(many.top[1].label, "y");
  EXPECT_FLOAT_EQ(many.score, 0.5f);
}

TEST(MakePrediction, TemperatureSoftensScoresButKeepsTheOrder) {
  const std::vector<std::string> labels{"a", "b", "c"};
  const std::vector<float> logits{3.0f, 1.0f, 0.0f};
  ScoringPolicy warm;
  warm.temperature = 2.0;
  const auto raw = MakePrediction(logits, labels, 3, false);
  const auto calibrated = MakePrediction(logits, labels, 3, false, warm);
  EXPECT_EQ(calibrated.label, raw.label);
  EXPECT_LT(calibrated.score, raw.score);
  EXPECT_NEAR(calibrated.score, Softmax({1.5f, 0.5f, 0.0f})[0], 1e-6);  // softmax(logits / 2)
  EXPECT_FLOAT_EQ(calibrated.top[0].logit, 3.0f);                       // logits stay raw
}

TEST(MakePrediction, FallbackByThresholdOrMargin) {
  const std::vector<std::string> labels{"a", "b", "c"};
  ScoringPolicy policy;
  policy.fallback_threshold = 0.5;
  EXPECT_TRUE(MakePrediction({0.1f, 0.0f, 0.05f}, labels, 1, false, policy).fallback);  // top ~0.35
  EXPECT_FALSE(MakePrediction({5.0f, 0.0f, 0.0f}, labels, 1, false, policy).fallback);  // top ~0.99
  policy.fallback_margin = 0.3;
  // top ~0.49+, second close behind: over a 0.4 threshold but closer than the margin
  policy.fallback_threshold = 0.4;
  EXPECT_TRUE(MakePrediction({2.0f, 1.9f, -5.0f}, labels, 1, false, policy).fallback);
  EXPECT_FALSE(MakePrediction({5.0f, 0.0f, 0.0f}, labels, 1, false, policy).fallback);
  EXPECT_FALSE(MakePrediction({0.1f, 0.0f, 0.05f}, labels, 1, false, ScoringPolicy{}).fallback);  // no policy
}

ScoringPolicy MultiLabelPolicy() {
  ScoringPolicy policy;
  policy.multi_label = true;
  return policy;
}

TEST(MakePrediction, MultiLabelUsesSigmoidAndPerLabelThresholds) {
  const std::vector<std::string> labels{"internet_down", "billing_dispute", "roaming"};
  ScoringPolicy policy = MultiLabelPolicy();
  const auto both = MakePrediction({2.0f, 1.0f, -3.0f}, labels, 3, false, policy);
  EXPECT_NEAR(both.top[0].score, 1.0 / (1.0 + std::exp(-2.0)), 1e-6);  // sigmoid, not softmax
  ASSERT_EQ(both.labels.size(), 2u);                                   // 0.88 and 0.73 reach 0.5
  EXPECT_EQ(both.labels[0].label, "internet_down");
  EXPECT_EQ(both.labels[1].label, "billing_dispute");
  EXPECT_FALSE(both.fallback);
  policy.label_thresholds = {0.5, 0.8, 0.01};  // billing now needs 0.8; roaming's 0.047 reaches 0.01
  const auto thresholds = MakePrediction({2.0f, 1.0f, -3.0f}, labels, 3, false, policy);
  ASSERT_EQ(thresholds.labels.size(), 2u);
  EXPECT_EQ(thresholds.labels[1].label, "roaming");
  const auto none = MakePrediction({-2.0f, -1.0f, -3.0f}, labels, 3, false, MultiLabelPolicy());
  EXPECT_TRUE(none.labels.empty());
  EXPECT_TRUE(none.fallback);  // no label reached its threshold: hand over
}

}  // namespace
}  // namespace fastintent::runtime
