#pragma once
// Summary statistics of timing samples. Comparisons use medians and the interquartile range (robust to the
// stragglers a shared machine produces); mean and standard deviation are kept for readers who want them.
#include <cstddef>
#include <vector>

namespace fastintent::bench {

struct Summary {
  std::size_t count = 0;
  double mean = 0.0;
  double stddev = 0.0;  // sample standard deviation (n-1), 0 for one sample
  double min = 0.0;
  double q1 = 0.0;      // 25th percentile
  double median = 0.0;  // 50th percentile
  double q3 = 0.0;      // 75th percentile
  double p99 = 0.0;
  double max = 0.0;
  double iqr() const { return q3 - q1; }
};

// Percentiles by linear interpolation between closest ranks (numpy's default). Throws
// fastintent::InvalidInput on an empty sample.
Summary Summarize(std::vector<double> samples);

// One percentile (q in [0, 1]) of a sample, numpy's default method. Throws InvalidInput on an empty sample.
double Percentile(std::vector<double> samples, double q);

}  // namespace fastintent::bench
