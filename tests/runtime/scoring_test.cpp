#include "scoring.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fastintent::runtime
