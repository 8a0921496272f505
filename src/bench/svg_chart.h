#pragma once
// Minimal SVG charts written by hand (no plotting library): a line chart and a grouped bar chart, optional log
// axes, interval error bars (e.g. the interquartile range), a legend and a footer line (the machine). Output is
// a self-contained <svg> document.
#include <string>
#include <utility>
#include <vector>

namespace fastintent::bench::detail {

struct Interval {
  double low = 0.0;  // both 0: no error bar
  double high = 0.0;
};

struct LineSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), y > 0 on a log axis
  std::vector<Interval> errors;                   // optional, one per point
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::string footer;
  bool log_x = false;
  bool log_y = false;
  std::vector<LineSeries> series;
};

struct BarGroup {
  std::string label;
  std::vector<double> values;    // one per series; NaN = missing
  std::vector<Interval> errors;  // optional, one per series
};

struct BarChart {
  std::string title;
  std::string y_label;
  std::string footer;
  bool log_y = false;
  std::vector<std::string> series_names;
  std::vector<BarGroup> groups;
  double reference_line = 0.0;  // drawn when > 0 (e.g. ratio 1.0)
};

std::string RenderLineChart(const LineChart& chart);
std::string RenderBarChart(const BarChart& chart);
std::string XmlEscape(const std::string& text);

}  // namespace fastintent::bench::detail
