#include "fastintent/bench/stats.h"

#include <gtest/gtest.h>

#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

// Reference values from numpy: mean, std(ddof=1), percentile(25/50/75/99) of [1, 2, 3, 4, 10].
TEST(Stats, MatchesNumpyOnASmallSample) {
  const Summary s = Summarize({10.0, 2.0, 4.0, 1.0, 3.0});
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.mean, 4.0);
  EXPECT_NEAR(s.stddev, 3.5355339059327378, 1e-12);
  EXPECT_DOUBLE_EQ(s.q1, 2.0);
  EXPECT_DOUBLE_EQ(s.median, 3.0);
  EXPECT_DOUBLE_EQ(s.q3, 4.0);
  EXPECT_DOUBLE_EQ(s.iqr(), 2.0);
  EXPECT_NEAR(s.p99, 9.76, 1e-12);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 10.0);
}

// numpy.percentile([1, 2, 3, 4], 25) = 1.75, (..., 75) = 3.25: interpolation between ranks.
TEST(Stats, InterpolatesBetweenRanks) {
  const Summary s = Summarize({4.0, 3.0, 2.0, 1.0});
  EXPECT_DOUBLE_EQ(s.q1, 1.75);
  EXPECT_DOUBLE_EQ(s.median, 2.5);
  EXPECT_DOUBLE_EQ(s.q3, 3.25);
  EXPECT_DOUBLE_EQ(Percentile({4.0, 3.0, 2.0, 1.0}, 0.75), 3.25);
}

TEST(Stats, OneSampleHasZeroSpread) {
  const Summary s = Summarize({2.5});
  EXPECT_DOUBLE_EQ(s.stddev, 0.0);
  EXPECT_DOUBLE_EQ(s.iqr(), 0.0);
  EXPECT_DOUBLE_EQ(s.p99, 2.5);
}

TEST(Stats, EmptySampleOrBadQuantileIsAnError) {
  EXPECT_THROW(Summarize({}), InvalidInput);
  EXPECT_THROW(Percentile({}, 0.5), InvalidInput);
  EXPECT_THROW(Percentile({1.0}, 1.5), InvalidInput);
}

}  // namespace
}  // namespace fastintent::bench
