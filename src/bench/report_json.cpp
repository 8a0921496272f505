// results.json: everything the study measured, samples included, and the ratios of LoadArticleRatios' file.
#include <fstream>
#include <nlohmann/json.hpp>

#include "comparisons.h"
#include "fastintent/bench/report.h"
#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

nlohmann::json SummaryJson(const Summary& s) {
  return {{"count", s.count}, {"median", s.median}, {"q1", s.q1},   {"q3", s.q3},   {"iqr", s.iqr()},
          {"mean", s.mean},   {"std", s.stddev},    {"p99", s.p99}, {"min", s.min}, {"max", s.max}};
}

nlohmann::json LoadJson(const std::optional<LoadAverage>& load) {
  if (!load) return nullptr;
  return {load->values[0], load->values[1], load->values[2]};
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

void WriteJson(const StudyResult& study, const ReportContext& context, const std::filesystem::path& file) {
  nlohmann::json root;
  root["command"] = context.command;
  const MachineInfo& m = study.machine;
  root["machine"] = {{"cpu", m.cpu_model},
                     {"logical_cpus", m.logical_cpus},
                     {"simd", m.simd},
                     {"kernel", m.kernel},
                     {"compiler", m.compiler},
                     {"load_average_before", LoadJson(m.load_before)},
                     {"load_average_after", LoadJson(m.load_after)}};
  root["timing"] = TimingName(study.timing);
  root["threads"] = study.threads;
  root["rounds"] = study.rounds;
  root["runtimes"] = study.runtimes;
  root["baseline"] = study.runtimes.empty() ? "" : study.runtimes.front();
  root["configurations"] = study.configurations;
  if (context.peak_fp32_gflops) root["limits"]["fp32_gflops"] = *context.peak_fp32_gflops;
  if (context.peak_int8_gops) root["limits"]["int8_gops"] = *context.peak_int8_gops;
  root["skipped"] = study.skipped;
  nlohmann::json results = nlohmann::json::array();
  for (const auto& r : study.results) {
    nlohmann::json row = {{"group", r.cell.group},
                          {"model", r.cell.model},
                          {"runtime", r.runtime},
                          {"batch", r.cell.batch},
                          {"input", r.cell.InputName()},
                          {"padding", PaddingName(r.cell.padding)},
                          {"max_length", r.cell.max_length},
                          {"sequence_length", r.sequence_length},
                          {"ms", SummaryJson(r.ms)},
                          {"round_medians_ms", r.round_medians_ms},
                          {"samples_ms", r.samples_ms},
                          {"gflop", r.gflop}};
    if (!study.runtimes.empty()) {
      if (const auto ratio = detail::TimeRatio(&r, detail::FindResult(study.results, r.cell, study.runtimes.front())))
        row["time_vs_baseline"] = {
            {"median_ratio", ratio->medians}, {"round_min", ratio->round_min}, {"round_max", ratio->round_max}};
    }
    results.push_back(std::move(row));
  }
  root["results"] = std::move(results);
  std::ofstream out(file);
  if (!out) throw IoError("cannot write " + file.string());
  out << root.dump(2) << '\n';
  if (!out) throw IoError("write failed: " + file.string());
}

}  // namespace fastintent::bench
