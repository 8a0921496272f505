#pragma once
// Lookups over sweep cells and the speed-up ratios the report and the speed-up chart share.
#include <optional>
#include <string>
#include <vector>

#include "fastintent/bench/report.h"

namespace fastintent::bench::detail {

const CellResult* FindCell(const std::vector<CellResult>& cells, int figure, const std::string& model,
                           const std::string& runtime, Padding padding, std::size_t batch, std::size_t max_length);

// Distinct values in first-seen order.
std::vector<std::string> Models(const std::vector<CellResult>& cells, int figure);
std::vector<std::string> Runtimes(const std::vector<CellResult>& cells, int figure);

struct Speedup {
  std::string scope;       // "Figure 4 rubert-tiny2", "Figure 6 (geometric mean over lengths)"
  std::string comparison;  // "ORT fp32 over pytorch", "ORT INT8 (ours) over ORT fp32", ...
  double ours = 0.0;       // ratio of mean times (the article compares means)
  std::optional<double> article_lo;
  std::optional<double> article_hi;
};

// Ratios of mean times under the article's padding (max_length), plus the gain of padding to the longest.
std::vector<Speedup> ComputeSpeedups(const std::vector<CellResult>& cells, const ArticleRatios& article);

bool IsPyTorch(const std::string& runtime);
bool IsInt8(const std::string& runtime);

}  // namespace fastintent::bench::detail
