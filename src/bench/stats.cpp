#include "fastintent/bench/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

double Percentile(const std::vector<double>& sorted, double q) {
  const double rank = q * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(rank));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double fraction = rank - static_cast<double>(lower);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

}  // namespace

Summary Summarize(std::vector<double> samples) {
  if (samples.empty()) throw InvalidInput("statistics: got 0 samples, expected at least 1");
  std::sort(samples.begin(), samples.end());
  Summary s;
  s.count = samples.size();
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(s.count);
  if (s.count > 1) {
    double squares = 0.0;
    for (double v : samples) squares += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(squares / static_cast<double>(s.count - 1));
  }
  s.p50 = Percentile(samples, 0.50);
  s.p99 = Percentile(samples, 0.99);
  s.min = samples.front();
  s.max = samples.back();
  return s;
}

}  // namespace fastintent::bench
