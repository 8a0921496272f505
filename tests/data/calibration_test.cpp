// Calibration, the fallback policy and multi-label helpers on hand-computed cases (scikit-learn and SciPy parity
// is in calibration_parity_test.cpp).
#include "fastintent/data/calibration.h"

#include <gtest/gtest.h>

#include <cmath>

#include "fastintent/common/error.h"
#include "fastintent/data/multi_label.h"

namespace fastintent::data {
namespace {

TEST(Temperature, SoftmaxWithTemperatureFlattensAndSharpens) {
  const std::vector<float> logits{2.0f, 0.0f};
  const float base = SoftmaxWithTemperature(logits, 1.0)[0];
  EXPECT_NEAR(base, 1.0 / (1.0 + std::exp(-2.0)), 1e-6);
  EXPECT_LT(SoftmaxWithTemperature(logits, 4.0)[0], base);
  EXPECT_GT(SoftmaxWithTemperature(logits, 0.5)[0], base);
  const auto p = SoftmaxWithTemperature({1000.0f, 999.0f, -1000.0f}, 1.0);  // no overflow
  EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-6);
}

TEST(Temperature, OverconfidentWrongAnswersRaiseIt) {
  // Half the confident answers are wrong: the fitted temperature must soften them (T > 1).
  std::vector<std::vector<float>> logits;
  std::vector<int> truth;
  for (int i = 0; i < 20; ++i) {
    logits.push_back({6.0f, 0.0f});
    truth.push_back(i % 2);
  }
  EXPECT_GT(FitTemperature(logits, truth), 10.0);
  // Always right but timid: sharpen (T < 1).
  for (int& t : truth) t = 0;
  EXPECT_LT(FitTemperature(logits, truth), 0.1);
}

TEST(Temperature, RejectsBadShapes) {
  EXPECT_THROW(FitTemperature({}, {}), InvalidInput);
  EXPECT_THROW(FitTemperature({{1.0f, 2.0f}}, {2}), InvalidInput);
  EXPECT_THROW(FitTemperature({{1.0f, 2.0f}, {1.0f}}, {0, 0}), InvalidInput);
}

TEST(CalibrationError, HandComputedBins) {
  // Two bins: scores 0.2 (1 of 2 right) and 0.9 (1 of 2 right).
  const double ece = ExpectedCalibrationError({0.2f, 0.2f, 0.9f, 0.9f}, {true, false, true, false}, 2);
  // bin [0,0.5): conf 0.4, hits 1 -> |1-0.4|/4 = 0.15; bin [0.5,1]: conf 1.8, hits 1 -> 0.8/4 = 0.2
  EXPECT_NEAR(ece, 0.35, 1e-6);
  EXPECT_NEAR(ExpectedCalibrationError({1.0f, 1.0f}, {true, true}), 0.0, 1e-9);
  EXPECT_THROW(ExpectedCalibrationError({0.5f}, {}), InvalidInput);
}

TEST(FallbackPolicy, ThresholdAndMargin) {
  const FallbackPolicy policy{0.5, 0.2};
  EXPECT_TRUE(FallsBack(policy, 0.4f, 0.1f));   // under the threshold
  EXPECT_TRUE(FallsBack(policy, 0.55f, 0.4f));  // over it, but the top two are close
  EXPECT_FALSE(FallsBack(policy, 0.8f, 0.1f));
  const auto outcome =
      ApplyPolicy(policy, {0.4f, 0.55f, 0.8f, 0.9f}, {0.1f, 0.4f, 0.1f, 0.05f}, {false, true, true, false});
  EXPECT_DOUBLE_EQ(outcome.fallback_rate, 0.5);
  EXPECT_DOUBLE_EQ(outcome.accuracy_of_rest, 0.5);
  EXPECT_DOUBLE_EQ(outcome.errors_caught, 0.5);
}

TEST(FallbackPolicy, ChoosesTheFewestHandOversThatMeetTheTarget) {
  // Wrong answers have low or close scores; one right answer is low too.
  const std::vector<float> top{0.95f, 0.9f, 0.85f, 0.6f, 0.55f, 0.3f, 0.92f};
  const std::vector<float> second{0.01f, 0.05f, 0.1f, 0.3f, 0.4f, 0.2f, 0.9f};
  const std::vector<bool> correct{true, true, true, false, true, false, false};
  const auto precise = ChoosePolicyForPrecision(1.0, top, second, correct);
  ASSERT_TRUE(precise.has_value());
  EXPECT_DOUBLE_EQ(precise->accuracy_of_rest, 1.0);
  // The margin catches the close 0.92/0.9 error, a threshold at 0.61 the two low ones: 4 of 7 handed over at best
  // with a margin (the 0.55 right answer goes too, it is lower than the 0.6 error)...
  EXPECT_NEAR(precise->fallback_rate, 4.0 / 7.0, 1e-12);
  // ...while a threshold alone must go above 0.92 and hand over all but the 0.95 answer.
  const auto threshold_only = ChoosePolicyForPrecision(1.0, top, second, correct, false);
  ASSERT_TRUE(threshold_only.has_value());
  EXPECT_NEAR(threshold_only->fallback_rate, 6.0 / 7.0, 1e-12);
  EXPECT_DOUBLE_EQ(threshold_only->policy.margin, 0.0);
  const auto recall = ChoosePolicyForRecall(2.0 / 3.0, top, second, correct);
  ASSERT_TRUE(recall.has_value());
  EXPECT_GE(recall->errors_caught, 2.0 / 3.0);
  EXPECT_NEAR(recall->fallback_rate, 2.0 / 7.0, 1e-12);  // the 0.3 error and the 0.92/0.9 one
  EXPECT_FALSE(ChoosePolicyForPrecision(1.0, {0.9f}, {0.0f}, {false}).has_value());
}

TEST(MultiLabel, SplitLabels) {
  EXPECT_EQ(SplitLabels("a|b|a"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(SplitLabels("only"), (std::vector<std::string>{"only"}));
  EXPECT_EQ(SplitLabels("a;b", ';'), (std::vector<std::string>{"a", "b"}));
  EXPECT_THROW(SplitLabels("a||b"), InvalidInput);
  EXPECT_THROW(SplitLabels("a|"), InvalidInput);
  EXPECT_THROW(SplitLabels(""), InvalidInput);
  const std::vector<Example> examples{{"x", "b|a"}, {"y", "c"}};
  EXPECT_EQ(MultiLabelSet(examples), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(MultiLabel, ThresholdsFollowEachLabel) {
  // Label 0 is present when its score is >= 0.8; label 1 when >= 0.3; label 2 never occurs.
  const std::vector<std::vector<float>> p{
      {0.9f, 0.2f, 0.1f}, {0.7f, 0.35f, 0.2f}, {0.85f, 0.4f, 0.9f}, {0.1f, 0.25f, 0.3f}};
  const std::vector<std::vector<int>> truth{{0}, {1}, {0, 1}, {}};
  const auto thresholds = ChooseLabelThresholds(p, truth);
  ASSERT_EQ(thresholds.size(), 3u);
  EXPECT_GT(thresholds[0], 0.7);
  EXPECT_LE(thresholds[0], 0.85);
  EXPECT_GT(thresholds[1], 0.25);
  EXPECT_LE(thresholds[1], 0.35);
  EXPECT_DOUBLE_EQ(thresholds[2], 0.5);
}

}  // namespace
}  // namespace fastintent::data
