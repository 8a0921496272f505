// The markdown report: one table per figure, the speed-ups beside the article's, achieved GFLOP/s against
// the measured limit, and what was skipped.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "fastintent/bench/report.h"
#include "fastintent/common/error.h"
#include "result_index.h"

namespace fastintent::bench {
namespace {

std::string Format(const char* format, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

std::string MeanStd(const Summary& s) { return Format("%.3f", s.mean) + " ± " + Format("%.3f", s.stddev); }

// Inference-only time: the call minus tokenization (medians), floored at a microsecond.
double InferenceMs(const CellResult& c) { return std::max(c.total_ms.p50 - c.tokenize_ms.p50, 1e-3); }

std::string Achieved(const CellResult& c, const ReportContext& context) {
  if (c.gflop <= 0) return "–";
  const double rate = c.gflop / (InferenceMs(c) / 1e3);
  const std::optional<double> peak = detail::IsInt8(c.runtime) ? context.peak_int8_gops : context.peak_fp32_gflops;
  std::string text = Format("%.1f", rate);
  if (peak && *peak > 0 && !detail::IsPyTorch(c.runtime) && c.runtime.find("python") == std::string::npos)
    text += Format(" (%.0f%%)", 100.0 * rate / *peak);
  return text;
}

void CellTable(std::ostream& out, const std::vector<CellResult>& cells, int figure, const ReportContext& context) {
  out << "| model | runtime | padding | batch | tokens | mean ± std, ms | p50, ms | p99, ms | tokenize p50, ms | "
         "GFLOP/s (share of limit) |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& c : cells) {
    if (c.figure != figure) continue;
    out << "| " << c.model << " | " << c.runtime << " | " << PaddingName(c.padding) << " | " << c.batch << " | "
        << c.sequence_length << " | " << MeanStd(c.total_ms) << " | " << Format("%.3f", c.total_ms.p50) << " | "
        << Format("%.3f", c.total_ms.p99) << " | " << Format("%.3f", c.tokenize_ms.p50) << " | " << Achieved(c, context)
        << " |\n";
  }
  out << '\n';
}

std::string ArticleText(const detail::Speedup& s) {
  if (!s.article_lo) return "–";
  if (!s.article_hi || *s.article_hi == *s.article_lo) return Format("%.2fx", *s.article_lo);
  return Format("%.1f", *s.article_lo) + Format("–%.1fx", *s.article_hi);
}

}  // namespace

void WriteMarkdown(const SweepResult& result, const ReportContext& context, const std::filesystem::path& file) {
  std::ostringstream out;
  out << "# fastintent bench: the seed article's study\n\n";
  out << "- command: `" << context.command << "`\n";
  out << "- machine: " << context.machine << "\n";
  out << "- threads per session: " << context.threads << "; trials per cell: " << context.trials
      << "; warm-up calls: " << context.warmup << "\n";
  if (context.peak_fp32_gflops)
    out << "- measured limit, 1 thread: fp32 FMA " << Format("%.1f", *context.peak_fp32_gflops) << " GFLOP/s";
  if (context.peak_int8_gops) out << ", INT8 VNNI " << Format("%.1f", *context.peak_int8_gops) << " GOP/s";
  if (context.peak_fp32_gflops) out << "\n";
  out << "- each call tokenizes and runs the model (the article's timed function); tokenization is also timed "
         "alone. GFLOP/s counts matmul FLOPs over (p50 call − p50 tokenization); the share is of the fp32 FMA limit "
         "for fp32 rows and of the INT8 VNNI limit for INT8 rows.\n\n";

  const char* titles[] = {"Figure 4: every model, batch 1, the article's phrase",
                          "Figure 5: batch size 1..128, the article's phrase repeated",
                          "Figure 6: sequence length, a long text cut by the tokenizer"};
  for (int figure : {4, 5, 6}) {
    if (detail::Models(result.cells, figure).empty()) continue;
    out << "## " << titles[figure - 4] << "\n\n![Figure " << figure << "](figure" << figure << ".svg)\n\n";
    CellTable(out, result.cells, figure, context);
  }

  const auto speedups = detail::ComputeSpeedups(result.cells, context.article);
  if (!speedups.empty()) {
    out << "## Speed-ups (ratio of mean times) beside the article's\n\n![speed-ups](speedups.svg)\n\n"
           "| scope | comparison | ours | article |\n|---|---|---:|---:|\n";
    for (const auto& s : speedups) {
      out << "| " << s.scope << " | " << s.comparison << " | " << Format("%.2fx", s.ours) << " | " << ArticleText(s)
          << " |\n";
    }
    out << '\n';
  }
  if (!result.skipped.empty()) {
    out << "## Skipped cells\n\n";
    for (const auto& s : result.skipped) out << "- " << s << "\n";
    out << '\n';
  }
  std::ofstream file_out(file);
  if (!file_out) throw IoError("cannot write " + file.string());
  file_out << out.str();
  if (!file_out) throw IoError("write failed: " + file.string());
}

}  // namespace fastintent::bench
