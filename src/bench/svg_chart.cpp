#include "svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace fastintent::bench::detail {
namespace {

constexpr double kWidth = 860, kHeight = 480;
constexpr double kLeft = 70, kRight = 260, kTop = 40, kBottom = 80;  // right margin: legend; bottom: labels, footer
constexpr const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                                   "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#e7969c"};

std::string Num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

std::string Tick(double v) {
  char buffer[32];
  if (std::fabs(v) >= 100 || v == std::floor(v))
    std::snprintf(buffer, sizeof buffer, "%.0f", v);
  else if (std::fabs(v) >= 1)
    std::snprintf(buffer, sizeof buffer, "%.1f", v);
  else
    std::snprintf(buffer, sizeof buffer, "%.2g", v);
  return buffer;
}

const char* Color(std::size_t i) { return kColors[i % (sizeof kColors / sizeof kColors[0])]; }

struct Axis {
  double lo, hi;
  bool log;
  double pixel_lo, pixel_hi;
  double Map(double v) const {
    const double t = log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
    return pixel_lo + t * (pixel_hi - pixel_lo);
  }
  std::vector<double> Ticks() const {
    std::vector<double> ticks;
    if (log) {
      for (double decade = std::pow(10.0, std::floor(std::log10(lo))); decade <= hi * 1.0001; decade *= 10)
        for (double m : {1.0, 2.0, 5.0})
          if (decade * m >= lo * 0.9999 && decade * m <= hi * 1.0001) ticks.push_back(decade * m);
    } else {
      const double raw = (hi - lo) / 5;
      const double step = std::pow(10.0, std::floor(std::log10(raw)));
      const double nice = raw / step < 2 ? step * 2 : raw / step < 5 ? step * 5 : step * 10;
      for (double t = std::ceil(lo / nice) * nice; t <= hi + 1e-9; t += nice) ticks.push_back(t);
    }
    return ticks;
  }
};

Axis MakeAxis(double lo, double hi, bool log, double pixel_lo, double pixel_hi, bool from_zero) {
  if (!(lo < hi)) {
    lo = log ? lo / 2 : lo - 1;
    hi = log ? hi * 2 : hi + 1;
  }
  if (log) return {lo / 1.15, hi * 1.15, true, pixel_lo, pixel_hi};
  if (from_zero) lo = std::min(lo, 0.0);
  return {lo, hi + (hi - lo) * 0.08, false, pixel_lo, pixel_hi};
}

std::string Footer(const std::string& footer) {
  if (footer.empty()) return "";
  return "<text x=\"8\" y=\"" + Num(kHeight - 6) + "\" font-size=\"9\" fill=\"#555\">" + XmlEscape(footer) +
         "</text>\n";
}

// An error bar from `low` to `high` at pixel x, clamped to the plot (a log axis has no room for values <= 0).
std::string ErrorBar(const Axis& y, double px, const Interval& e, bool log, const std::string& color) {
  if (e.low == 0.0 && e.high == 0.0) return "";
  const double top = y.Map(e.high);
  const double bottom =
      log && e.low <= 0 ? kHeight - kBottom : std::min(y.Map(std::max(e.low, 0.0)), kHeight - kBottom);
  return "<line x1=\"" + Num(px) + "\" x2=\"" + Num(px) + "\" y1=\"" + Num(top) + "\" y2=\"" + Num(bottom) +
         "\" stroke=\"" + color + "\" stroke-width=\"1\"/>\n";
}

std::string Header(const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Num(kWidth) + "\" height=\"" + Num(kHeight) +
         "\" viewBox=\"0 0 " + Num(kWidth) + " " + Num(kHeight) +
         "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
         "<text x=\"" +
         Num(kWidth / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" + XmlEscape(title) + "</text>\n";
}

std::string YAxis(const Axis& y, const std::string& label) {
  std::string out;
  for (double t : y.Ticks()) {
    const double py = y.Map(t);
    out += "<line x1=\"" + Num(kLeft) + "\" x2=\"" + Num(kWidth - kRight) + "\" y1=\"" + Num(py) + "\" y2=\"" +
           Num(py) + "\" stroke=\"#e0e0e0\"/>\n<text x=\"" + Num(kLeft - 6) + "\" y=\"" + Num(py + 4) +
           "\" text-anchor=\"end\">" + Tick(t) + "</text>\n";
  }
  out += "<text transform=\"translate(16," + Num((kTop + kHeight - kBottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + XmlEscape(label) + "</text>\n";
  out += "<line x1=\"" + Num(kLeft) + "\" x2=\"" + Num(kLeft) + "\" y1=\"" + Num(kTop) + "\" y2=\"" +
         Num(kHeight - kBottom) + "\" stroke=\"black\"/>\n<line x1=\"" + Num(kLeft) + "\" x2=\"" +
         Num(kWidth - kRight) + "\" y1=\"" + Num(kHeight - kBottom) + "\" y2=\"" + Num(kHeight - kBottom) +
         "\" stroke=\"black\"/>\n";
  return out;
}

std::string Legend(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double y = kTop + 10 + 18.0 * static_cast<double>(i);
    out += "<rect x=\"" + Num(kWidth - kRight + 12) + "\" y=\"" + Num(y - 9) + "\" width=\"12\" height=\"12\" fill=\"" +
           Color(i) + "\"/>\n<text x=\"" + Num(kWidth - kRight + 30) + "\" y=\"" + Num(y + 1) + "\">" +
           XmlEscape(names[i]) + "</text>\n";
  }
  return out;
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderLineChart(const LineChart& chart) {
  double x_lo = std::numeric_limits<double>::max(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  for (const auto& s : chart.series) {
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const auto [x, y] = s.points[i];
      const Interval e = i < s.errors.size() ? s.errors[i] : Interval{};
      x_lo = std::min(x_lo, x);
      x_hi = std::max(x_hi, x);
      const bool bar = e.low != 0.0 || e.high != 0.0;
      y_lo = std::min(y_lo, bar && (e.low > 0 || !chart.log_y) ? std::min(y, e.low) : y);
      y_hi = std::max(y_hi, bar ? std::max(y, e.high) : y);
    }
  }
  std::string out = Header(chart.title);
  if (x_lo > x_hi) return out + "<text x=\"100\" y=\"100\">no data</text>\n</svg>\n";
  const Axis x = MakeAxis(x_lo, x_hi, chart.log_x, kLeft + 10, kWidth - kRight - 10, false);
  const Axis y = MakeAxis(y_lo, y_hi, chart.log_y, kHeight - kBottom, kTop, true);
  out += YAxis(y, chart.y_label);
  std::vector<double> x_ticks;
  for (const auto& s : chart.series)
    for (const auto& p : s.points) x_ticks.push_back(p.first);
  std::sort(x_ticks.begin(), x_ticks.end());
  x_ticks.erase(std::unique(x_ticks.begin(), x_ticks.end()), x_ticks.end());
  for (double t : x_ticks) {
    out += "<text x=\"" + Num(x.Map(t)) + "\" y=\"" + Num(kHeight - kBottom + 16) + "\" text-anchor=\"middle\">" +
           Tick(t) + "</text>\n";
  }
  out += "<text x=\"" + Num((kLeft + kWidth - kRight) / 2) + "\" y=\"" + Num(kHeight - 18) +
         "\" text-anchor=\"middle\">" + XmlEscape(chart.x_label) + "</text>\n";
  std::vector<std::string> names;
  for (std::size_t si = 0; si < chart.series.size(); ++si) {
    const auto& s = chart.series[si];
    names.push_back(s.name);
    std::string path;
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const double px = x.Map(s.points[i].first), py = y.Map(s.points[i].second);
      path += (i == 0 ? "M" : " L") + Num(px) + " " + Num(py);
      out += "<circle cx=\"" + Num(px) + "\" cy=\"" + Num(py) + "\" r=\"3\" fill=\"" + Color(si) + "\"/>\n";
      if (i < s.errors.size()) out += ErrorBar(y, px, s.errors[i], chart.log_y, Color(si));
    }
    out += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + Color(si) + "\" stroke-width=\"2\"/>\n";
  }
  return out + Legend(names) + Footer(chart.footer) + "</svg>\n";
}

std::string RenderBarChart(const BarChart& chart) {
  double hi = chart.reference_line, lo = std::numeric_limits<double>::max();
  for (const auto& g : chart.groups)
    for (std::size_t i = 0; i < g.values.size(); ++i)
      if (std::isfinite(g.values[i])) {
        hi = std::max({hi, g.values[i], i < g.errors.size() ? g.errors[i].high : 0.0});
        lo = std::min(lo, g.values[i]);
      }
  std::string out = Header(chart.title);
  if (chart.groups.empty() || hi <= 0) return out + "<text x=\"100\" y=\"100\">no data</text>\n</svg>\n";
  const Axis y = chart.log_y ? MakeAxis(lo, hi, true, kHeight - kBottom, kTop, false)
                             : MakeAxis(0.0, hi, false, kHeight - kBottom, kTop, true);
  out += YAxis(y, chart.y_label);
  const double plot = kWidth - kRight - kLeft;
  const double group_width = plot / static_cast<double>(chart.groups.size());
  const double bar_width = group_width * 0.8 / static_cast<double>(std::max<std::size_t>(chart.series_names.size(), 1));
  for (std::size_t gi = 0; gi < chart.groups.size(); ++gi) {
    const auto& g = chart.groups[gi];
    const double left = kLeft + group_width * static_cast<double>(gi) + group_width * 0.1;
    for (std::size_t si = 0; si < g.values.size(); ++si) {
      if (!std::isfinite(g.values[si])) continue;
      const double bx = left + bar_width * static_cast<double>(si);
      const double top = y.Map(g.values[si]);  // a log axis starts below the smallest bar
      out += "<rect x=\"" + Num(bx) + "\" y=\"" + Num(top) + "\" width=\"" + Num(bar_width * 0.92) + "\" height=\"" +
             Num(kHeight - kBottom - top) + "\" fill=\"" + Color(si) + "\"><title>" + XmlEscape(g.label) + " " +
             XmlEscape(si < chart.series_names.size() ? chart.series_names[si] : "") + ": " + Tick(g.values[si]) +
             "</title></rect>\n";
      if (si < g.errors.size()) out += ErrorBar(y, bx + bar_width * 0.46, g.errors[si], chart.log_y, "black");
    }
    out += "<text x=\"" + Num(left + group_width * 0.4) + "\" y=\"" + Num(kHeight - kBottom + 16) +
           "\" text-anchor=\"middle\" font-size=\"10\">" + XmlEscape(g.label) + "</text>\n";
  }
  if (chart.reference_line > 0) {
    const double py = y.Map(chart.reference_line);
    out += "<line x1=\"" + Num(kLeft) + "\" x2=\"" + Num(kWidth - kRight) + "\" y1=\"" + Num(py) + "\" y2=\"" +
           Num(py) + "\" stroke=\"black\" stroke-dasharray=\"4 3\"/>\n";
  }
  return out + Legend(chart.series_names) + Footer(chart.footer) + "</svg>\n";
}

}  // namespace fastintent::bench::detail
