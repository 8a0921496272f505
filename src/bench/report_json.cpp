#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/bench/report.h"
#include "fastintent/common/error.h"
#include "result_index.h"

namespace fastintent::bench {
namespace {

nlohmann::json SummaryJson(const Summary& s) {
  return {{"count", s.count}, {"mean", s.mean}, {"std", s.stddev}, {"p50", s.p50},
          {"p99", s.p99},     {"min", s.min},   {"max", s.max}};
}

}  // namespace

ArticleRatios LoadArticleRatios(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw IoError("cannot open " + path.string());
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInput(path.string() + ": not valid JSON: " + e.what());
  }
  const auto pointer = nlohmann::json::json_pointer("/seed_benchmark/reported");
  if (!root.contains(pointer)) throw InvalidInput(path.string() + ": missing field seed_benchmark.reported");
  const auto& r = root.at(pointer);
  try {
    ArticleRatios a;
    a.ort_over_pytorch_small_lo = r.at("ort_over_pytorch_small_models").at(0).get<double>();
    a.ort_over_pytorch_small_hi = r.at("ort_over_pytorch_small_models").at(1).get<double>();
    a.int8_over_fp32_small_lo = r.at("int8_over_fp32_small_models").at(0).get<double>();
    a.int8_over_fp32_small_hi = r.at("int8_over_fp32_small_models").at(1).get<double>();
    a.ort_over_pytorch_rubert_base = r.at("ort_over_pytorch_rubert_base").get<double>();
    a.int8_over_fp32_rubert_base = r.at("int8_over_fp32_rubert_base").get<double>();
    a.int8_over_fp32_by_length = r.at("int8_over_fp32_by_sequence_length").get<double>();
    return a;
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInput(path.string() + ": seed_benchmark.reported: " + e.what());
  }
}

void WriteJson(const SweepResult& result, const ReportContext& context, const std::filesystem::path& file) {
  nlohmann::json root;
  root["command"] = context.command;
  root["machine"] = context.machine;
  root["threads"] = context.threads;
  root["trials"] = context.trials;
  root["warmup"] = context.warmup;
  root["peak_fp32_gflops_1thread"] = context.peak_fp32_gflops ? nlohmann::json(*context.peak_fp32_gflops) : nullptr;
  root["peak_int8_gops_1thread"] = context.peak_int8_gops ? nlohmann::json(*context.peak_int8_gops) : nullptr;
  nlohmann::json cells = nlohmann::json::array();
  for (const auto& c : result.cells) {
    cells.push_back({{"figure", c.figure},
                     {"model", c.model},
                     {"runtime", c.runtime},
                     {"padding", PaddingName(c.padding)},
                     {"batch", c.batch},
                     {"max_length", c.max_length},
                     {"sequence_length", c.sequence_length},
                     {"total_ms", SummaryJson(c.total_ms)},
                     {"tokenize_ms", SummaryJson(c.tokenize_ms)},
                     {"gflop", c.gflop}});
  }
  root["cells"] = std::move(cells);
  nlohmann::json speedups = nlohmann::json::array();
  for (const auto& s : detail::ComputeSpeedups(result.cells, context.article)) {
    speedups.push_back({{"scope", s.scope},
                        {"comparison", s.comparison},
                        {"ours", s.ours},
                        {"article_lo", s.article_lo ? nlohmann::json(*s.article_lo) : nullptr},
                        {"article_hi", s.article_hi ? nlohmann::json(*s.article_hi) : nullptr}});
  }
  root["speedups"] = std::move(speedups);
  root["skipped"] = result.skipped;
  std::ofstream out(file);
  if (!out) throw IoError("cannot write " + file.string());
  out << root.dump(2) << '\n';
  if (!out) throw IoError("write failed: " + file.string());
}

}  // namespace fastintent::bench
