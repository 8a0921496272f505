#include "fastintent/bench/peak.h"

#include <gtest/gtest.h>

#include <cmath>

#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

// Throughput is machine-dependent; these check the measurement is sane, not a number.
TEST(Peak, EverySupportedKernelGivesAPlausibleRate) {
  const auto kernels = SupportedPeakKernels();
  ASSERT_FALSE(kernels.empty()) << "an x86-64 build machine without FMA";
  for (PeakKernel kernel : kernels) {
    const PeakMeasurement m = MeasurePeak(kernel, 1, std::chrono::milliseconds(30));
    EXPECT_TRUE(std::isfinite(m.ops_per_second)) << PeakKernelName(kernel);
    // Between 1 GOP/s (surely slower than any FMA core) and 10 TOP/s (surely faster than one core).
    EXPECT_GT(m.ops_per_second, 1e9) << PeakKernelName(kernel);
    EXPECT_LT(m.ops_per_second, 1e13) << PeakKernelName(kernel);
  }
}

TEST(Peak, RejectsZeroThreads) {
  const auto kernels = SupportedPeakKernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_THROW(MeasurePeak(kernels.front(), 0, std::chrono::milliseconds(10)), InvalidInput);
}

}  // namespace
}  // namespace fastintent::bench
