// One chart per group, every runtime in it: bars per model when the group spans models (the article's Figure 4),
// else lines over the axis the group varies (batch size as in Figure 5, input length as in Figure 6). Points are
// medians, error bars the interquartile range; the footer names the machine and the load.
#include <algorithm>
#include <fstream>
#include <limits>
#include <set>

#include "comparisons.h"
#include "fastintent/bench/report.h"
#include "fastintent/common/error.h"
#include "svg_chart.h"

namespace fastintent::bench {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

void WriteText(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file);
  if (!out) throw IoError("cannot write " + file.string());
  out << text;
  if (!out) throw IoError("write failed: " + file.string());
}

struct Series {
  std::string runtime;
  Padding padding;
};

std::vector<Series> SeriesOf(const std::vector<CellResult>& results, const std::string& group, bool by_padding) {
  std::vector<Series> out;
  for (const auto& runtime : detail::RuntimesOf(results, group)) {
    std::vector<Padding> paddings;
    for (const auto& r : results)
      if (r.cell.group == group && r.runtime == runtime &&
          std::find(paddings.begin(), paddings.end(), r.cell.padding) == paddings.end())
        paddings.push_back(r.cell.padding);
    for (Padding p : paddings) {
      out.push_back({runtime, p});
      if (!by_padding) break;
    }
  }
  return out;
}

std::string SeriesName(const Series& s, bool by_padding) {
  return by_padding ? s.runtime + " (" + PaddingName(s.padding) + ")" : s.runtime;
}

detail::Interval Iqr(const CellResult& r) { return {r.ms.q1, r.ms.q3}; }

std::string Title(const std::string& group, const std::vector<Cell>& cells) {
  const Cell& first = cells.front();
  if (group == "figure4") return "Figure 4: median time per call, batch 1, the article's phrase";
  if (group == "figure5") return "Figure 5: " + first.model + ", median time by batch size (the phrase repeated)";
  if (group == "figure6") return "Figure 6: " + first.model + ", median time by sequence length (batch 1)";
  return group + ": median time per call";
}

}  // namespace

std::vector<std::filesystem::path> WriteSvgCharts(const StudyResult& study, const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> written;
  const std::string footer = detail::MachineLine(study) + "; " + TimingName(study.timing) + ", " +
                             std::to_string(study.threads) + " thread(s), " + std::to_string(study.rounds) +
                             " interleaved rounds; bars/points: median, whiskers: IQR";
  for (const std::string& group : detail::Groups(study.results)) {
    const std::vector<Cell> cells = detail::CellsOf(study.results, group);
    std::set<std::string> models;
    std::set<std::size_t> batches, tokens;
    std::set<Padding> paddings;
    for (const Cell& c : cells) {
      models.insert(c.model);
      batches.insert(c.batch);
      tokens.insert(c.tokens);
      paddings.insert(c.padding);
    }
    const bool by_padding = paddings.size() > 1;
    const auto series = SeriesOf(study.results, group, by_padding);
    const auto find = [&](const Cell& cell, const Series& s) -> const CellResult* {
      if (by_padding && cell.padding != s.padding) return nullptr;
      return detail::FindResult(study.results, cell, s.runtime);
    };
    std::string svg;
    if (models.size() == 1 && (batches.size() > 1 || tokens.size() > 1)) {
      const bool over_batch = batches.size() > 1;
      detail::LineChart chart;
      chart.title = Title(group, cells);
      chart.x_label = over_batch ? "batch size" : "input length, tokens";
      chart.y_label = "median time per call, ms (log)";
      chart.footer = footer;
      chart.log_x = chart.log_y = true;
      for (const auto& s : series) {
        detail::LineSeries line{SeriesName(s, by_padding), {}, {}};
        for (const Cell& cell : cells) {
          const CellResult* r = find(cell, s);
          if (!r) continue;
          line.points.emplace_back(static_cast<double>(over_batch ? cell.batch : r->sequence_length), r->ms.median);
          line.errors.push_back(Iqr(*r));
        }
        if (!line.points.empty()) chart.series.push_back(std::move(line));
      }
      svg = detail::RenderLineChart(chart);
    } else {
      detail::BarChart chart;
      chart.title = Title(group, cells);
      chart.y_label = "median time per call, ms (log)";
      chart.footer = footer;
      chart.log_y = true;
      for (const auto& s : series) chart.series_names.push_back(SeriesName(s, by_padding));
      std::vector<Cell> columns;  // one bar group per cell, paddings merged when they are series
      for (const Cell& cell : cells) {
        const bool seen = std::any_of(columns.begin(), columns.end(), [&](const Cell& c) {
          return c.model == cell.model && c.batch == cell.batch && c.tokens == cell.tokens &&
                 (by_padding || c.padding == cell.padding);
        });
        if (!seen) columns.push_back(cell);
      }
      for (const Cell& column : columns) {
        std::string label = column.model;
        if (batches.size() > 1) label += " b" + std::to_string(column.batch);
        if (tokens.size() > 1) label += " " + column.InputName();
        detail::BarGroup bars{label, {}, {}};
        for (const auto& s : series) {
          Cell cell = column;
          if (by_padding) cell.padding = s.padding;
          const CellResult* r = nullptr;
          for (const Cell& c : cells)
            if (c.model == cell.model && c.batch == cell.batch && c.tokens == cell.tokens && c.padding == cell.padding)
              r = detail::FindResult(study.results, c, s.runtime);
          bars.values.push_back(r ? r->ms.median : kMissing);
          bars.errors.push_back(r ? Iqr(*r) : detail::Interval{});
        }
        chart.groups.push_back(std::move(bars));
      }
      svg = detail::RenderBarChart(chart);
    }
    written.push_back(directory / (group + ".svg"));
    WriteText(written.back(), svg);
  }
  return written;
}

}  // namespace fastintent::bench
