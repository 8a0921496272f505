// Multi-label metrics and temperature scaling against scikit-learn and SciPy: tools/data/reference_calibration.py
// writes the cases and the reference numbers. Metrics agree to 1e-9; the temperature to 1e-4 relative (two
// different one-dimensional minimisers of the same convex loss), and its loss to 1e-9.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/data/calibration.h"
#include "fastintent/data/multi_label.h"

namespace fastintent::data {
namespace {

nlohmann::json LoadReference() {
  const char* path = std::getenv("FASTINTENT_CALIBRATION_REFERENCE");
  if (path == nullptr) throw std::runtime_error("FASTINTENT_CALIBRATION_REFERENCE is not set (run through ctest)");
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot open ") + path);
  return nlohmann::json::parse(in);
}

double MeanNegativeLogLikelihood(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                                 double temperature) {
  double sum = 0;
  for (std::size_t row = 0; row < logits.size(); ++row) {
    sum -= std::log(SoftmaxWithTemperature(logits[row], temperature)[static_cast<std::size_t>(truth[row])]);
  }
  return sum / static_cast<double>(logits.size());
}

TEST(CalibrationParity, MultiLabelMetricsMatchScikitLearn) {
  const auto cases = LoadReference()["multi_label"];
  ASSERT_GE(cases.size(), 5u);
  constexpr double kTolerance = 1e-9;
  for (std::size_t n = 0; n < cases.size(); ++n) {
    const auto& c = cases[n];
    SCOPED_TRACE("case " + std::to_string(n));
    const auto labels = c["labels"].get<std::vector<std::string>>();
    const auto m = ComputeMultiLabelMetrics(labels, c["truth"].get<std::vector<std::vector<int>>>(),
                                            c["predicted"].get<std::vector<std::vector<int>>>());
    EXPECT_EQ(m.count, c["truth"].size());
    EXPECT_NEAR(m.micro_precision, c["micro_precision"].get<double>(), kTolerance);
    EXPECT_NEAR(m.micro_recall, c["micro_recall"].get<double>(), kTolerance);
    EXPECT_NEAR(m.micro_f1, c["micro_f1"].get<double>(), kTolerance);
    EXPECT_NEAR(m.macro_f1, c["macro_f1"].get<double>(), kTolerance);
    EXPECT_NEAR(m.subset_accuracy, c["subset_accuracy"].get<double>(), kTolerance);
    ASSERT_EQ(m.per_class.size(), labels.size());
    for (std::size_t k = 0; k < labels.size(); ++k) {
      EXPECT_NEAR(m.per_class[k].precision, c["precision"][k].get<double>(), kTolerance) << labels[k];
      EXPECT_NEAR(m.per_class[k].recall, c["recall"][k].get<double>(), kTolerance) << labels[k];
      EXPECT_NEAR(m.per_class[k].f1, c["f1"][k].get<double>(), kTolerance) << labels[k];
      EXPECT_EQ(m.per_class[k].support, c["support"][k].get<std::size_t>()) << labels[k];
    }
  }
}

TEST(CalibrationParity, TemperatureMatchesScipy) {
  const auto cases = LoadReference()["temperature"];
  ASSERT_GE(cases.size(), 3u);
  for (std::size_t n = 0; n < cases.size(); ++n) {
    const auto& c = cases[n];
    SCOPED_TRACE("case " + std::to_string(n));
    const auto logits = c["logits"].get<std::vector<std::vector<float>>>();
    const auto truth = c["truth"].get<std::vector<int>>();
    const double expected = c["temperature"].get<double>();
    const double temperature = FitTemperature(logits, truth);
    EXPECT_NEAR(temperature, expected, 1e-4 * expected);
    // float softmax: the loss agrees to float precision
    EXPECT_NEAR(MeanNegativeLogLikelihood(logits, truth, temperature), c["loss"].get<double>(), 1e-5);
  }
}

}  // namespace
}  // namespace fastintent::data
