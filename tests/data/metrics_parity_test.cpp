// ComputeMetrics against scikit-learn: tools/data/reference_metrics.py writes the cases and sklearn's
// numbers; every figure must agree to 1e-9 and counts exactly.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/data/metrics.h"

namespace fastintent::data {
namespace {

TEST(MetricsParity, MatchesScikitLearn) {
  const char* path = std::getenv("FASTINTENT_METRICS_REFERENCE");
  ASSERT_NE(path, nullptr) << "FASTINTENT_METRICS_REFERENCE is not set (run through ctest)";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path;
  const auto cases = nlohmann::json::parse(in);
  ASSERT_GE(cases.size(), 5u);
  constexpr double kTolerance = 1e-9;
  for (std::size_t n = 0; n < cases.size(); ++n) {
    const auto& c = cases[n];
    SCOPED_TRACE("case " + std::to_string(n));
    const auto labels = c["labels"].get<std::vector<std::string>>();
    const auto m = ComputeMetrics(labels, c["truth"].get<std::vector<int>>(), c["predicted"].get<std::vector<int>>());
    EXPECT_EQ(m.count, c["truth"].size());
    EXPECT_NEAR(m.accuracy, c["accuracy"].get<double>(), kTolerance);
    EXPECT_NEAR(m.f1_macro, c["f1_macro"].get<double>(), kTolerance);
    EXPECT_NEAR(m.f1_weighted, c["f1_weighted"].get<double>(), kTolerance);
    ASSERT_EQ(m.per_class.size(), labels.size());
    for (std::size_t k = 0; k < labels.size(); ++k) {
      EXPECT_EQ(m.per_class[k].label, labels[k]);
      EXPECT_NEAR(m.per_class[k].precision, c["precision"][k].get<double>(), kTolerance) << labels[k];
      EXPECT_NEAR(m.per_class[k].recall, c["recall"][k].get<double>(), kTolerance) << labels[k];
      EXPECT_NEAR(m.per_class[k].f1, c["f1"][k].get<double>(), kTolerance) << labels[k];
      EXPECT_EQ(m.per_class[k].support, c["support"][k].get<std::size_t>()) << labels[k];
    }
    EXPECT_EQ(m.confusion, c["confusion"].get<std::vector<std::vector<std::size_t>>>());
  }
}

}  // namespace
}  // namespace fastintent::data
