#pragma once
// Writers for a sweep's results: CSV (one row per cell), JSON (cells + context), SVG charts (Figures 4-6 and
// speed-up bars) and a markdown report with our speed-up ratios next to the seed article's.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/bench/sweep.h"

namespace fastintent::bench {

// The article's reported ratios (seed-architectures.json "seed_benchmark.reported").
struct ArticleRatios {
  double ort_over_pytorch_small_lo = 2.1, ort_over_pytorch_small_hi = 2.3;
  double int8_over_fp32_small_lo = 1.4, int8_over_fp32_small_hi = 1.5;
  double ort_over_pytorch_rubert_base = 1.8;
  double int8_over_fp32_rubert_base = 2.4;
  double int8_over_fp32_by_length = 1.25;
};
// Throws InvalidInput / IoError naming the file and field.
ArticleRatios LoadArticleRatios(const std::filesystem::path& seed_architectures_json);

struct ReportContext {
  std::string command;                     // the command line that made the results
  std::string machine;                     // CPU summary
  std::optional<double> peak_fp32_gflops;  // 1-thread measured limits, for the share-of-limit column
  std::optional<double> peak_int8_gops;
  ArticleRatios article;
  int threads = 1;
  std::size_t trials = 0;
  std::size_t warmup = 0;
};

inline constexpr const char* kCsvHeader =
    "figure,model,runtime,padding,batch,max_length,sequence_length,trials,mean_ms,std_ms,p50_ms,p99_ms,"
    "tokenize_mean_ms,tokenize_p50_ms,gflop";

void WriteCsv(const std::vector<CellResult>& cells, const std::filesystem::path& file);
// Reads rows in the WriteCsv format (e.g. from the Python peers' in-process timers) so they join the report.
// Throws InvalidInput naming the file, line and column.
std::vector<CellResult> ReadCsv(const std::filesystem::path& file);

void WriteJson(const SweepResult& result, const ReportContext& context, const std::filesystem::path& file);
// figure4.svg, figure5.svg, figure6.svg, speedups.svg in `directory` (figures without cells are not written).
std::vector<std::filesystem::path> WriteSvgCharts(const SweepResult& result, const ArticleRatios& article,
                                                  const std::filesystem::path& directory);
void WriteMarkdown(const SweepResult& result, const ReportContext& context, const std::filesystem::path& file);

}  // namespace fastintent::bench
