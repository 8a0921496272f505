// results.csv: one row per cell and runtime, after '#' lines naming the command and the machine.
#include <fstream>

#include "comparisons.h"
#include "fastintent/bench/report.h"
#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

// RFC 4180 quoting for the free-text fields.
std::string Quoted(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

void WriteCsv(const StudyResult& study, const ReportContext& context, const std::filesystem::path& file) {
  std::ofstream out(file);
  if (!out) throw IoError("cannot write " + file.string());
  const MachineInfo& m = study.machine;
  out << "# command: " << context.command << "\n# machine: " << m.cpu_model << ", " << m.logical_cpus
      << " logical CPUs, " << m.kernel << "\n# simd: " << m.SimdText()
      << "\n# load average before: " << (m.load_before ? m.load_before->ToString() : "?")
      << "; after: " << (m.load_after ? m.load_after->ToString() : "?")
      << "\n# baseline: " << (study.runtimes.empty() ? "" : study.runtimes.front()) << "\n"
      << kCsvHeader << "\n";
  using detail::FormatNumber;
  for (const auto& r : study.results) {
    const CellResult* baseline =
        study.runtimes.empty() ? nullptr : detail::FindResult(study.results, r.cell, study.runtimes.front());
    const auto ratio = detail::TimeRatio(&r, baseline);
    const double seconds = r.ms.median / 1e3;
    double round_min = r.round_medians_ms.empty() ? 0.0 : r.round_medians_ms.front(), round_max = round_min;
    for (double v : r.round_medians_ms) {
      round_min = std::min(round_min, v);
      round_max = std::max(round_max, v);
    }
    out << Quoted(r.cell.group) << ',' << Quoted(r.cell.model) << ',' << Quoted(r.runtime) << ',' << r.cell.batch << ','
        << r.cell.InputName() << ',' << PaddingName(r.cell.padding) << ',' << r.cell.max_length << ','
        << r.sequence_length << ',' << TimingName(study.timing) << ',' << study.threads << ','
        << r.round_medians_ms.size() << ',' << r.ms.count << ',' << FormatNumber("%.6f", r.ms.median) << ','
        << FormatNumber("%.6f", r.ms.q1) << ',' << FormatNumber("%.6f", r.ms.q3) << ','
        << FormatNumber("%.6f", r.ms.iqr()) << ',' << FormatNumber("%.6f", r.ms.mean) << ','
        << FormatNumber("%.6f", r.ms.stddev) << ',' << FormatNumber("%.6f", r.ms.p99) << ','
        << FormatNumber("%.6f", r.ms.min) << ',' << FormatNumber("%.6f", r.ms.max) << ','
        << FormatNumber("%.6f", round_min) << ',' << FormatNumber("%.6f", round_max) << ','
        << (ratio ? FormatNumber("%.4f", ratio->medians) : "") << ',' << FormatNumber("%.6f", r.gflop) << ','
        << (r.gflop > 0 && seconds > 0 ? FormatNumber("%.3f", r.gflop / seconds) : "") << '\n';
  }
  if (!out) throw IoError("write failed: " + file.string());
}

}  // namespace fastintent::bench
