// report.md: how the study ran, the runtimes' configurations, one table per group (median, IQR, time relative to
// the baseline runtime with its per-round range, achieved GFLOP/s), the seed article's ratios beside ours where
// its figures were reproduced, and what was skipped.
#include <cmath>
#include <fstream>
#include <sstream>

#include "comparisons.h"
#include "fastintent/bench/report.h"
#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

using detail::FormatNumber;

std::string Ms(double v) { return FormatNumber(v >= 100 ? "%.1f" : v >= 1 ? "%.3f" : "%.4f", v); }

std::string Achieved(const CellResult& r, const ReportContext& context) {
  if (r.gflop <= 0 || r.ms.median <= 0) return "–";
  const double rate = r.gflop / (r.ms.median / 1e3);
  const std::optional<double> peak = detail::IsInt8(r.runtime) ? context.peak_int8_gops : context.peak_fp32_gflops;
  std::string text = FormatNumber("%.1f", rate);
  if (peak && *peak > 0) text += FormatNumber(" (%.0f%%)", 100.0 * rate / *peak);
  return text;
}

void GroupTable(std::ostream& out, const StudyResult& study, const std::string& group, const ReportContext& context) {
  const std::string& baseline = study.runtimes.front();
  out << "| model | batch | input | padding | tokens | runtime | median ms | IQR ms | time / " << baseline
      << " (rounds) | G(FL)OP/s (share of limit) |\n|---|---:|---|---|---:|---|---:|---:|---:|---:|\n";
  for (const Cell& cell : detail::CellsOf(study.results, group)) {
    const CellResult* base = detail::FindResult(study.results, cell, baseline);
    for (const std::string& runtime : study.runtimes) {
      const CellResult* r = detail::FindResult(study.results, cell, runtime);
      if (!r) continue;
      const auto ratio = detail::TimeRatio(r, base);
      out << "| " << cell.model << " | " << cell.batch << " | " << cell.InputName() << " | "
          << PaddingName(cell.padding)
          << (cell.tokens == 0 && cell.padding == Padding::kMaxLength ? " " + std::to_string(cell.max_length) : "")
          << " | " << r->sequence_length << " | " << runtime << " | " << Ms(r->ms.median) << " | " << Ms(r->ms.iqr())
          << " | "
          << (ratio ? FormatNumber("%.2f", ratio->medians) + " (" + FormatNumber("%.2f", ratio->round_min) + "–" +
                          FormatNumber("%.2f", ratio->round_max) + ")"
                    : "–")
          << " | " << Achieved(*r, context) << " |\n";
    }
  }
  out << '\n';
}

// Speed-ups (slow time over fast time, the article's way of stating them) for the pairs the article reported.
struct ArticlePair {
  std::string slow, fast, label;
};

void ArticleSection(std::ostream& out, const StudyResult& study, const ArticleRatios& article) {
  const std::vector<ArticlePair> pairs = {
      {"pytorch-fp32", "ort-python-article-fp32", "ONNX Runtime fp32 over PyTorch (the article's own stack)"},
      {"pytorch-fp32", "fastintent-fp32", "fastintent fp32 over PyTorch (transformers)"},
      {"ort-python-article-fp32", "ort-python-article-quint8", "INT8 over fp32, the article's quantize_dynamic QUInt8"},
      {"fastintent-fp32", "fastintent-int8", "INT8 over fp32, fastintent's export and quantizer"},
  };
  std::ostringstream rows;
  for (const auto& pair : pairs) {
    for (const Cell& cell : detail::CellsOf(study.results, "figure4")) {
      if (cell.padding != Padding::kMaxLength) continue;
      const auto ratio = detail::TimeRatio(detail::FindResult(study.results, cell, pair.slow),
                                           detail::FindResult(study.results, cell, pair.fast));
      if (!ratio) continue;
      const bool base = cell.model == "rubert-base-cased";
      const bool int8 = pair.label.rfind("INT8", 0) == 0;
      std::string theirs;
      if (int8) {
        theirs = base ? FormatNumber("%.1fx", article.int8_over_fp32_rubert_base)
                      : FormatNumber("%.1f", article.int8_over_fp32_small_lo) +
                            FormatNumber("–%.1fx", article.int8_over_fp32_small_hi);
      } else {
        theirs = base ? FormatNumber("%.1fx", article.ort_over_pytorch_rubert_base)
                      : FormatNumber("%.1f", article.ort_over_pytorch_small_lo) +
                            FormatNumber("–%.1fx", article.ort_over_pytorch_small_hi);
      }
      rows << "| Figure 4, " << cell.model << " | " << pair.label << " | " << FormatNumber("%.2fx", ratio->medians)
           << " | " << theirs << " |\n";
    }
    for (const std::string group : {"figure5", "figure6"}) {
      double log_sum = 0.0, lo = 0.0, hi = 0.0;
      int n = 0;
      for (const Cell& cell : detail::CellsOf(study.results, group)) {
        if (cell.tokens == 0 && cell.padding != Padding::kMaxLength) continue;
        const auto ratio = detail::TimeRatio(detail::FindResult(study.results, cell, pair.slow),
                                             detail::FindResult(study.results, cell, pair.fast));
        if (!ratio) continue;
        log_sum += std::log(ratio->medians);
        lo = n == 0 ? ratio->medians : std::min(lo, ratio->medians);
        hi = n == 0 ? ratio->medians : std::max(hi, ratio->medians);
        ++n;
      }
      if (n == 0) continue;
      rows << "| "
           << (group == "figure5" ? "Figure 5, geometric mean over batch sizes"
                                  : "Figure 6, geometric mean over lengths")
           << FormatNumber(" (%.2f", lo) << FormatNumber("–%.2f)", hi) << " | " << pair.label << " | "
           << FormatNumber("%.2fx", std::exp(log_sum / n)) << " | "
           << (group == "figure6" && pair.label.rfind("INT8", 0) == 0
                   ? FormatNumber("%.2fx", article.int8_over_fp32_by_length)
                   : "–")
           << " |\n";
    }
  }
  if (rows.str().empty()) return;
  out << "## The seed article's ratios beside ours\n\nSpeed-ups as the article states them (slower time over faster "
         "time, ratio of medians), padding max_length as the article ran it.\n\n"
         "| scope | comparison | ours | article |\n|---|---|---:|---:|\n"
      << rows.str() << '\n';
}

}  // namespace

void WriteMarkdown(const StudyResult& study, const ReportContext& context, const std::filesystem::path& file) {
  std::ostringstream out;
  const MachineInfo& m = study.machine;
  out << "# fastintent bench study\n\n";
  out << "- command: `" << context.command << "`\n";
  out << "- machine: " << m.cpu_model << ", " << m.logical_cpus << " logical CPUs, " << m.kernel << "; built by "
      << m.compiler << "\n";
  out << "- SIMD: " << m.SimdText() << "\n";
  out << "- load average (1/5/15 min): " << (m.load_before ? m.load_before->ToString() : "?") << " before, "
      << (m.load_after ? m.load_after->ToString() : "?") << " after\n";
  out << "- timing: " << TimingName(study.timing)
      << (study.timing == Timing::kEndToEnd
              ? " (each call tokenizes with the runtime's own tokenizer and runs the model)"
              : " (each call runs the model on token ids made before the call)")
      << "; intra-op threads per runtime: " << study.threads << "\n";
  out << "- method: " << study.rounds
      << " rounds; in every round each cell visits every runtime in turn (the order rotates), warms up, then times "
         "its calls; medians and interquartile ranges over all rounds; ratios are ratios of medians, with the range "
         "of the same ratio taken round by round\n";
  if (context.peak_fp32_gflops || context.peak_int8_gops) {
    out << "- measured limit at " << study.threads << " thread(s): ";
    if (context.peak_fp32_gflops) out << "fp32 FMA " << FormatNumber("%.1f", *context.peak_fp32_gflops) << " GFLOP/s";
    if (context.peak_int8_gops) out << ", INT8 VNNI " << FormatNumber("%.1f", *context.peak_int8_gops) << " GOP/s";
    out << " (`fastintent bench peak`); G(FL)OP/s counts matmul work per call over the median call time\n";
  }
  out << "\n## Runtimes\n\n| runtime | model | configuration |\n|---|---|---|\n";
  for (const std::string& runtime : study.runtimes) {
    const auto found = study.configurations.find(runtime);
    if (found == study.configurations.end()) continue;
    for (const auto& [model, configuration] : found->second)
      out << "| " << runtime << " | " << model << " | " << configuration << " |\n";
  }
  out << '\n';
  if (!study.runtimes.empty()) {
    for (const std::string& group : detail::Groups(study.results)) {
      out << "## " << group << "\n\n![" << group << "](" << group << ".svg)\n\n";
      GroupTable(out, study, group, context);
    }
  }
  if (context.article) ArticleSection(out, study, *context.article);
  if (!study.skipped.empty()) {
    out << "## Skipped\n\n";
    for (const auto& s : study.skipped) out << "- " << s << "\n";
    out << '\n';
  }
  std::ofstream file_out(file);
  if (!file_out) throw IoError("cannot write " + file.string());
  file_out << out.str();
  if (!file_out) throw IoError("write failed: " + file.string());
}

}  // namespace fastintent::bench
