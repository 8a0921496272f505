// The article's Figures 4-6 and a speed-up chart, as SVG.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

#include "fastintent/bench/report.h"
#include "fastintent/common/error.h"
#include "result_index.h"
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

struct SeriesKey {
  std::string runtime;
  Padding padding;
  std::string Name() const { return runtime + " (" + PaddingName(padding) + ")"; }
};

std::vector<SeriesKey> SeriesOf(const std::vector<CellResult>& cells, int figure) {
  std::vector<SeriesKey> keys;
  for (const auto& c : cells) {
    if (c.figure != figure) continue;
    bool seen = false;
    for (const auto& k : keys) seen = seen || (k.runtime == c.runtime && k.padding == c.padding);
    if (!seen) keys.push_back({c.runtime, c.padding});
  }
  return keys;
}

detail::LineChart SweepChart(const std::vector<CellResult>& cells, int figure) {
  detail::LineChart chart;
  const auto models = detail::Models(cells, figure);
  const std::string model = models.empty() ? "" : models.front();
  chart.title = figure == 5 ? "Figure 5: " + model + ", mean time by batch size (1 phrase repeated)"
                            : "Figure 6: " + model + ", mean time by sequence length (batch 1)";
  chart.x_label = figure == 5 ? "batch size" : "sequence length, tokens";
  chart.y_label = "mean time per call, ms (log)";
  chart.log_x = true;
  chart.log_y = true;
  for (const auto& key : SeriesOf(cells, figure)) {
    detail::LineSeries series{key.Name(), {}, {}};
    for (const auto& c : cells) {
      if (c.figure != figure || c.runtime != key.runtime || c.padding != key.padding) continue;
      series.points.emplace_back(static_cast<double>(figure == 5 ? c.batch : c.max_length), c.total_ms.mean);
      series.errors.push_back(c.total_ms.stddev);
    }
    chart.series.push_back(std::move(series));
  }
  return chart;
}

}  // namespace

std::vector<std::filesystem::path> WriteSvgCharts(const SweepResult& result, const ArticleRatios& article,
                                                  const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> written;
  const auto& cells = result.cells;
  if (!detail::Models(cells, 4).empty()) {
    detail::BarChart chart;
    chart.title = "Figure 4: mean time per call, batch 1, \"" + std::string(kSeedPhrase) + "\"";
    chart.y_label = "mean time, ms (error bar: std)";
    const auto keys = SeriesOf(cells, 4);
    for (const auto& k : keys) chart.series_names.push_back(k.Name());
    for (const auto& model : detail::Models(cells, 4)) {
      detail::BarGroup group{model, {}, {}};
      for (const auto& k : keys) {
        const CellResult* c = nullptr;
        for (const auto& cell : cells)
          if (cell.figure == 4 && cell.model == model && cell.runtime == k.runtime && cell.padding == k.padding)
            c = &cell;
        group.values.push_back(c ? c->total_ms.mean : kMissing);
        group.errors.push_back(c ? c->total_ms.stddev : 0.0);
      }
      chart.groups.push_back(std::move(group));
    }
    written.push_back(directory / "figure4.svg");
    WriteText(written.back(), detail::RenderBarChart(chart));
  }
  for (int figure : {5, 6}) {
    if (detail::Models(cells, figure).empty()) continue;
    written.push_back(directory / ("figure" + std::to_string(figure) + ".svg"));
    WriteText(written.back(), detail::RenderLineChart(SweepChart(cells, figure)));
  }

  // Speed-ups of Figure 4 beside the article's (midpoint of its range).
  const auto speedups = detail::ComputeSpeedups(cells, article);
  std::vector<std::string> comparisons;
  for (const auto& s : speedups) {
    if (s.scope.rfind("Figure 4 ", 0) != 0 || s.comparison.find("pad to longest") != std::string::npos) continue;
    if (std::find(comparisons.begin(), comparisons.end(), s.comparison) == comparisons.end())
      comparisons.push_back(s.comparison);
  }
  if (!comparisons.empty()) {
    detail::BarChart chart;
    chart.title = "Speed-ups, Figure 4 (ratio of mean times; 'article' = the seed article's figure)";
    chart.y_label = "speed-up, x";
    chart.reference_line = 1.0;
    for (const auto& comparison : comparisons) {
      chart.series_names.push_back(comparison);
      chart.series_names.push_back("article: " + comparison);
    }
    for (const auto& model : detail::Models(cells, 4)) {
      detail::BarGroup group{model, {}, {}};
      for (const auto& comparison : comparisons) {
        double ours = kMissing, theirs = kMissing;
        for (const auto& s : speedups) {
          if (s.scope != "Figure 4 " + model || s.comparison != comparison) continue;
          ours = s.ours;
          // Our INT8 against the reference INT8 has no article figure.
          if (s.article_lo && s.article_hi) theirs = (*s.article_lo + *s.article_hi) / 2;
        }
        group.values.push_back(ours);
        group.values.push_back(theirs);
      }
      chart.groups.push_back(std::move(group));
    }
    written.push_back(directory / "speedups.svg");
    WriteText(written.back(), detail::RenderBarChart(chart));
  }
  return written;
}

}  // namespace fastintent::bench
