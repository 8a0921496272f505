#pragma once
// A study's results written for readers and tools: results.csv (one row per cell and runtime), results.json
// (everything, samples included), report.md (a table per group, ratios of medians to the baseline runtime,
// the runtimes' configurations) and one SVG chart per group with every runtime. Every file names the machine,
// its SIMD flags and the load average before and after the run.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/bench/study.h"

namespace fastintent::bench {

// The seed article's reported ratios (seed-architectures.json "seed_benchmark.reported"), shown beside ours in
// the report of its figures.
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
  std::optional<double> peak_fp32_gflops;  // measured limits at the study's thread count, for the share column
  std::optional<double> peak_int8_gops;
  std::optional<ArticleRatios> article;  // the article's ratios beside the figure groups
};

inline constexpr const char* kCsvHeader =
    "group,model,runtime,batch,input,padding,max_length,sequence_length,timing,threads,rounds,calls,median_ms,q1_ms,"
    "q3_ms,iqr_ms,mean_ms,stddev_ms,p99_ms,min_ms,max_ms,round_median_min_ms,round_median_max_ms,time_vs_baseline,"
    "gflop,gflops";

// Lines starting with '#' before the header name the command, machine, SIMD flags and load average.
void WriteCsv(const StudyResult& study, const ReportContext& context, const std::filesystem::path& file);
void WriteJson(const StudyResult& study, const ReportContext& context, const std::filesystem::path& file);
void WriteMarkdown(const StudyResult& study, const ReportContext& context, const std::filesystem::path& file);
// <group>.svg per group in `directory`; returns the files written.
std::vector<std::filesystem::path> WriteSvgCharts(const StudyResult& study, const std::filesystem::path& directory);

// All of the above into `directory`, replaced atomically; returns the files, sorted.
std::vector<std::filesystem::path> WriteStudyReport(const StudyResult& study, const ReportContext& context,
                                                    const std::filesystem::path& directory);

}  // namespace fastintent::bench
