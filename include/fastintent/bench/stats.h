#pragma once
// Summary statistics of timing samples.
#include <cstddef>
#include <vector>

namespace fastintent::bench {

struct Summary {
  std::size_t count = 0;
  double mean = 0.0;
  double stddev = 0.0;  // sample standard deviation (n-1), 0 for one sample
  double p50 = 0.0;
  double p99 = 0.0;
  double min = 0.0;
  double max = 0.0;
};

// Percentiles by linear interpolation between closest ranks (numpy's default). Throws
// fastintent::InvalidInput on an empty sample.
Summary Summarize(std::vector<double> samples);

}  // namespace fastintent::bench
