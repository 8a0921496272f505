// Hand-checked metric cases; the exhaustive comparison with scikit-learn is metrics_parity_test.cpp.
#include "fastintent/data/metrics.h"

#include <gtest/gtest.h>

#include "fastintent/common/error.h"

namespace fastintent::data {
namespace {

TEST(ComputeMetrics, HandComputedExample) {
  // truth a a b b c, predicted a b b b b: a P=1 R=.5; b P=2/4 R=1; c P=0 (never predicted) R=0.
  auto m = ComputeMetrics({"a", "b", "c"}, {0, 0, 1, 1, 2}, {0, 1, 1, 1, 1});
  EXPECT_DOUBLE_EQ(m.accuracy, 0.6);
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 1.0);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 0.5);
  EXPECT_NEAR(m.per_class[0].f1, 2.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.per_class[1].precision, 0.5);
  EXPECT_NEAR(m.per_class[1].f1, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(m.per_class[2].f1, 0.0);
  EXPECT_EQ(m.per_class[2].support, 1u);
  EXPECT_NEAR(m.f1_macro, 4.0 / 9.0, 1e-12);
  EXPECT_NEAR(m.f1_weighted, (2 * 2.0 / 3 + 2 * 2.0 / 3) / 5, 1e-12);
  EXPECT_EQ(m.confusion[0][1], 1u);
  EXPECT_EQ(m.confusion[2][1], 1u);
}

TEST(ComputeMetrics, RejectsBadInput) {
  EXPECT_THROW(ComputeMetrics({"a"}, {0, 0}, {0}), InvalidInput);
  EXPECT_THROW(ComputeMetrics({"a"}, {}, {}), InvalidInput);
  EXPECT_THROW(ComputeMetrics({"a", "b"}, {0, 2}, {0, 1}), InvalidInput);
  EXPECT_THROW(ComputeMetrics({"a", "b"}, {0, 1}, {-1, 1}), InvalidInput);
}

TEST(FallbackAt, SplitsByThreshold) {
  std::vector<int> truth{0, 1, 1, 0};
  std::vector<int> predicted{0, 0, 1, 0};
  std::vector<float> scores{0.9f, 0.4f, 0.6f, 0.3f};
  auto point = FallbackAt(0.5, truth, predicted, scores);
  EXPECT_EQ(point.kept, 2u);
  EXPECT_DOUBLE_EQ(point.fallback_rate, 0.5);
  EXPECT_DOUBLE_EQ(point.accuracy_of_rest, 1.0);
  auto all = FallbackAt(0.0, truth, predicted, scores);
  EXPECT_DOUBLE_EQ(all.fallback_rate, 0.0);
  EXPECT_DOUBLE_EQ(all.accuracy_of_rest, 0.75);
  auto none = FallbackAt(0.95, truth, predicted, scores);
  EXPECT_EQ(none.kept, 0u);
  EXPECT_DOUBLE_EQ(none.fallback_rate, 1.0);
  EXPECT_THROW(FallbackAt(0.5, truth, predicted, {0.1f}), InvalidInput);
  auto sweep = FallbackSweep({0.0, 0.5}, truth, predicted, scores);
  ASSERT_EQ(sweep.size(), 2u);
  EXPECT_EQ(sweep[1].kept, 2u);
}

}  // namespace
}  // namespace fastintent::data
