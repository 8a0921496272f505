#pragma once
// Minimal SVG charts written by hand (no plotting library): a line chart with optional log axes and error bars,
// and a grouped bar chart. Output is a self-contained <svg> document.
#include <string>
#include <utility>
#include <vector>

namespace fastintent::bench::detail {

struct LineSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), y > 0 on a log axis
  std::vector<double> errors;                     // optional +-error per point (standard deviation)
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool log_y = false;
  std::vector<LineSeries> series;
};

struct BarGroup {
  std::string label;
  std::vector<double> values;  // one per series; NaN = missing
  std::vector<double> errors;  // optional
};

struct BarChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> series_names;
  std::vector<BarGroup> groups;
  double reference_line = 0.0;  // drawn when > 0 (e.g. speed-up 1.0)
};

std::string RenderLineChart(const LineChart& chart);
std::string RenderBarChart(const BarChart& chart);
std::string XmlEscape(const std::string& text);

}  // namespace fastintent::bench::detail
