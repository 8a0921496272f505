#include "fastintent/bench/stats.h"

#include <gtest/gtest.h>

#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

// Reference values from numpy: mean, std(ddof=1), percentile(50), percentile(99) of [1, 2, 3, 4, 10].
TEST(Stats, MatchesNumpyOnASmallSample) {
  const Summary s = Summarize({10.0, 2.0, 4.0, 1.0, 3.0});
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.mean, 4.0);
  EXPECT_NEAR(s.stddev, 3.5355339059327378, 1e-12);
  EXPECT_DOUBLE_EQ(s.p50, 3.0);
  EXPECT_NEAR(s.p99, 9.76, 1e-12);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 10.0);
}

TEST(Stats, OneSampleHasZeroSpread) {
  const Summary s = Summarize({2.5});
  EXPECT_DOUBLE_EQ(s.stddev, 0.0);
  EXPECT_DOUBLE_EQ(s.p99, 2.5);
}

TEST(Stats, EmptySampleIsAnError) { EXPECT_THROW(Summarize({}), InvalidInput); }

}  // namespace
}  // namespace fastintent::bench
