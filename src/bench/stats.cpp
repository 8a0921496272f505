#include "fastintent/bench/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

double SortedPercentile(const std::vector<double>& sorted, double q) {
  const double rank = q * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(rank));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double fraction = rank - static_cast<double>(lower);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

void RequireSamples(const std::vector<double>& samples) {
  if (samples.empty()) throw InvalidInput("statistics: got 0 samples, expected at least 1");
}

}  // namespace

double Percentile(std::vector<double> samples, double q) {
  RequireSamples(samples);
  if (!(q >= 0.0 && q <= 1.0)) throw InvalidInput("statistics: percentile " + std::to_string(q) + ", expected 0..1");
  std::sort(samples.begin(), samples.end());
  return SortedPercentile(samples, q);
}

Summary Summarize(std::vector<double> samples) {
  RequireSamples(samples);
  std::sort(samples.begin(), samples.end());
  Summary s;
  s.count = samples.size();
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(s.count);
  if (s.count > 1) {
    double squares = 0.0;
    for (double v : samples) squares += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(squares / static_cast<double>(s.count - 1));
  }
  s.min = samples.front();
  s.q1 = SortedPercentile(samples, 0.25);
  s.median = SortedPercentile(samples, 0.50);
  s.q3 = SortedPercentile(samples, 0.75);
  s.p99 = SortedPercentile(samples, 0.99);
  s.max = samples.back();
  return s;
}

}  // namespace fastintent::bench
