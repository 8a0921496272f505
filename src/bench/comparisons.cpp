#include "comparisons.h"

#include <algorithm>
#include <cstdio>

namespace fastintent::bench::detail {
namespace {

template <class T>
void AddUnique(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

bool SameCell(const Cell& a, const Cell& b) {
  return a.group == b.group && a.model == b.model && a.batch == b.batch && a.tokens == b.tokens &&
         a.padding == b.padding && a.max_length == b.max_length;
}

const CellResult* FindResult(const std::vector<CellResult>& results, const Cell& cell, const std::string& runtime) {
  for (const auto& r : results)
    if (r.runtime == runtime && SameCell(r.cell, cell)) return &r;
  return nullptr;
}

std::vector<std::string> Groups(const std::vector<CellResult>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) AddUnique(out, r.cell.group);
  return out;
}

std::vector<Cell> CellsOf(const std::vector<CellResult>& results, const std::string& group) {
  std::vector<Cell> out;
  for (const auto& r : results) {
    if (r.cell.group != group) continue;
    if (std::none_of(out.begin(), out.end(), [&](const Cell& c) { return SameCell(c, r.cell); })) out.push_back(r.cell);
  }
  return out;
}

std::vector<std::string> RuntimesOf(const std::vector<CellResult>& results, const std::string& group) {
  std::vector<std::string> out;
  for (const auto& r : results)
    if (r.cell.group == group) AddUnique(out, r.runtime);
  return out;
}

std::optional<Ratio> TimeRatio(const CellResult* numerator, const CellResult* denominator) {
  if (!numerator || !denominator || denominator->ms.median <= 0) return std::nullopt;
  Ratio ratio;
  ratio.medians = numerator->ms.median / denominator->ms.median;
  ratio.round_min = ratio.round_max = ratio.medians;
  const std::size_t rounds = std::min(numerator->round_medians_ms.size(), denominator->round_medians_ms.size());
  for (std::size_t i = 0; i < rounds; ++i) {
    if (denominator->round_medians_ms[i] <= 0) continue;
    const double r = numerator->round_medians_ms[i] / denominator->round_medians_ms[i];
    ratio.round_min = i == 0 ? r : std::min(ratio.round_min, r);
    ratio.round_max = i == 0 ? r : std::max(ratio.round_max, r);
  }
  return ratio;
}

bool IsInt8(const std::string& runtime) {
  return runtime.find("int8") != std::string::npos || runtime.find("quint8") != std::string::npos ||
         runtime.find("quantized") != std::string::npos;
}

std::string FormatNumber(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string MachineLine(const StudyResult& study) {
  const MachineInfo& m = study.machine;
  return m.Summary() + "; load average " + (m.load_before ? m.load_before->ToString() : "?") + " before, " +
         (m.load_after ? m.load_after->ToString() : "?") + " after";
}

}  // namespace fastintent::bench::detail
