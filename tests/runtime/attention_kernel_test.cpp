// The native attention kernel against a double-precision reference of softmax(scale * q·k + mask) · v, for every
// instruction-set build this CPU runs, on shapes that hit every tile remainder: lengths not a multiple of 4 or 16,
// head sizes under, between and over whole vectors (BERT-tiny's 26, e5's 32, BERT-base's 64, 80), padded keys,
// a one-token row, and work split into item ranges as ONNX Runtime's threads would.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "attention/attention_kernel_isa.h"

namespace fastintent::runtime::attention {
namespace {

struct Case {
  std::size_t batch, length, heads, head_size;
};

struct Inputs {
  std::vector<float> q, k, v, mask;
};

Inputs MakeInputs(const Case& c, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, 1.5f);
  const std::size_t size = c.batch * c.length * c.heads * c.head_size;
  Inputs in{std::vector<float>(size), std::vector<float>(size), std::vector<float>(size),
            std::vector<float>(c.batch * c.length, 0.0f)};
  for (auto* values : {&in.q, &in.k, &in.v}) {
    for (float& x : *values) x = normal(generator);
  }
  // Row b keeps its first length - b % 4 keys (at least one), the rest are padding as the export masks it.
  for (std::size_t b = 0; b < c.batch; ++b) {
    const std::size_t padded = std::min(b % 4, c.length - 1);
    for (std::size_t j = c.length - padded; j < c.length; ++j) {
      in.mask[b * c.length + j] = std::numeric_limits<float>::lowest();
    }
  }
  return in;
}

std::vector<float> Reference(const Case& c, const Inputs& in, float scale) {
  const std::size_t hidden = c.heads * c.head_size;
  std::vector<float> out(in.q.size());
  std::vector<double> weights(c.length);
  for (std::size_t b = 0; b < c.batch; ++b) {
    for (std::size_t h = 0; h < c.heads; ++h) {
      for (std::size_t i = 0; i < c.length; ++i) {
        const float* q = &in.q[(b * c.length + i) * hidden + h * c.head_size];
        double top = -std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < c.length; ++j) {
          const float* k = &in.k[(b * c.length + j) * hidden + h * c.head_size];
          double dot = 0;
          for (std::size_t d = 0; d < c.head_size; ++d) dot += static_cast<double>(q[d]) * k[d];
          weights[j] = dot * scale + in.mask[b * c.length + j];
          top = std::max(top, weights[j]);
        }
        double sum = 0;
        for (double& w : weights) sum += (w = std::exp(w - top));
        for (std::size_t d = 0; d < c.head_size; ++d) {
          double value = 0;
          for (std::size_t j = 0; j < c.length; ++j) {
            value += weights[j] / sum * in.v[(b * c.length + j) * hidden + h * c.head_size + d];
          }
          out[(b * c.length + i) * hidden + h * c.head_size + d] = static_cast<float>(value);
        }
      }
    }
  }
  return out;
}

struct Build {
  const char* isa;
  AttendHeadsFunction kernel;
};

class AttentionKernel : public ::testing::TestWithParam<Build> {};

TEST_P(AttentionKernel, MatchesReference) {
  const Build build = GetParam();
  if (!CpuRuns(build.isa)) GTEST_SKIP() << "this CPU has no " << build.isa;
  const std::vector<Case> cases = {{1, 1, 1, 1},   {2, 5, 3, 7},    {3, 17, 12, 26}, {2, 64, 12, 26},
                                   {2, 33, 12, 32}, {1, 130, 2, 64}, {2, 9, 2, 80},   {1, 4, 1, 16}};
  unsigned seed = 1;
  for (const Case& c : cases) {
    SCOPED_TRACE("batch " + std::to_string(c.batch) + ", length " + std::to_string(c.length) + ", heads " +
                 std::to_string(c.heads) + ", head size " + std::to_string(c.head_size));
    const Inputs in = MakeInputs(c, seed++);
    const float scale = 1.0f / std::sqrt(static_cast<float>(c.head_size));
    const AttentionShape shape{c.batch, c.length, c.heads, c.head_size, scale};
    std::vector<float> out(in.q.size(), std::numeric_limits<float>::quiet_NaN());
    // Two uneven item ranges, as two threads would take them.
    const std::size_t items = c.batch * c.heads;
    build.kernel(shape, in.q.data(), in.k.data(), in.v.data(), in.mask.data(), out.data(), 0, items / 3);
    build.kernel(shape, in.q.data(), in.k.data(), in.v.data(), in.mask.data(), out.data(), items / 3, items);
    const std::vector<float> expected = Reference(c, in, scale);
    double worst = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      ASSERT_TRUE(std::isfinite(out[i])) << "element " << i << " was not written";
      worst = std::max(worst, static_cast<double>(std::fabs(out[i] - expected[i])));
    }
    EXPECT_LE(worst, 2e-5);
  }
}

TEST_P(AttentionKernel, PaddedKeysGetNoWeight) {
  const Build build = GetParam();
  if (!CpuRuns(build.isa)) GTEST_SKIP() << "this CPU has no " << build.isa;
  // One row, 3 kept keys of 6; the padded keys' values are huge, so any weight on them would show.
  const Case c{1, 6, 1, 4};
  Inputs in = MakeInputs(c, 7);
  for (std::size_t j = 3; j < 6; ++j) {
    in.mask[j] = std::numeric_limits<float>::lowest();
    for (std::size_t d = 0; d < 4; ++d) in.v[j * 4 + d] = 1e30f;
  }
  std::vector<float> out(in.q.size());
  build.kernel({1, 6, 1, 4, 0.5f}, in.q.data(), in.k.data(), in.v.data(), in.mask.data(), out.data(), 0, 1);
  for (float x : out) EXPECT_LT(std::fabs(x), 100.0f);
}

INSTANTIATE_TEST_SUITE_P(Builds, AttentionKernel,
                         ::testing::Values(Build{"avx512", &avx512::AttendHeads}, Build{"avx2", &avx2::AttendHeads},
                                           Build{"generic", &generic::AttendHeads}),
                         [](const ::testing::TestParamInfo<Build>& build) { return std::string(build.param.isa); });

TEST(AttentionKernelDispatch, PicksTheWidestBuildThisCpuRuns) {
  const std::string isa = AttentionIsa();
  if (CpuRuns("avx512")) {
    EXPECT_EQ(isa, "avx512");
  } else if (CpuRuns("avx2")) {
    EXPECT_EQ(isa, "avx2");
  } else {
    EXPECT_EQ(isa, "generic");
  }
}

}  // namespace
}  // namespace fastintent::runtime::attention
