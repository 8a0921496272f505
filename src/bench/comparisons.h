#pragma once
// Lookups over a study's results and the ratios every report shares: ratios of medians between two runtimes
// on the same cell, with the range of the per-round ratios (how stable the ratio was while the load moved).
#include <optional>
#include <string>
#include <vector>

#include "fastintent/bench/report.h"

namespace fastintent::bench::detail {

bool SameCell(const Cell& a, const Cell& b);
const CellResult* FindResult(const std::vector<CellResult>& results, const Cell& cell, const std::string& runtime);

// Distinct values in first-seen order.
std::vector<std::string> Groups(const std::vector<CellResult>& results);
std::vector<Cell> CellsOf(const std::vector<CellResult>& results, const std::string& group);
std::vector<std::string> RuntimesOf(const std::vector<CellResult>& results, const std::string& group);

struct Ratio {
  double medians = 0.0;  // median(numerator) / median(denominator)
  double round_min = 0.0;
  double round_max = 0.0;  // range of the same ratio computed round by round
};
// Time of `numerator` over time of `denominator` (> 1: numerator is slower).
std::optional<Ratio> TimeRatio(const CellResult* numerator, const CellResult* denominator);

bool IsInt8(const std::string& runtime);
std::string FormatNumber(const char* format, double value);
std::string MachineLine(const StudyResult& study);  // CPU, SIMD, load before/after: for footers and headers

}  // namespace fastintent::bench::detail
