#include <algorithm>
#include <cstdio>
#include <string>

#include "training_report.h"

namespace fastintent::train {
namespace {

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4g", value);
  return text;
}

}  // namespace

// Layout: one plot area; x = epoch; left axis = loss (0 .. max loss), right axis = F1 macro (0 .. 1).
std::string LearningCurveSvg(const std::vector<EpochMetrics>& epochs) {
  constexpr double kWidth = 640, kHeight = 360, kLeft = 60, kRight = 60, kTop = 40, kBottom = 50;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double max_loss = 1e-9;
  for (const auto& e : epochs) max_loss = std::max({max_loss, e.train_loss, e.valid_loss});
  const std::size_t n = epochs.size();
  auto x = [&](std::size_t i) {
    return kLeft + (n > 1 ? plot_w * static_cast<double>(i) / static_cast<double>(n - 1) : plot_w / 2);
  };
  auto y_loss = [&](double v) { return kTop + plot_h * (1.0 - v / max_loss); };
  auto y_f1 = [&](double v) { return kTop + plot_h * (1.0 - std::clamp(v, 0.0, 1.0)); };

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Number(kWidth) + "\" height=\"" +
                    Number(kHeight) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg +=
      "<text x=\"" + Number(kWidth / 2) + "\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">Learning curve</text>\n";
  svg += "<rect x=\"" + Number(kLeft) + "\" y=\"" + Number(kTop) + "\" width=\"" + Number(plot_w) + "\" height=\"" +
         Number(plot_h) + "\" fill=\"none\" stroke=\"#888\"/>\n";
  for (int tick = 0; tick <= 4; ++tick) {
    const double fraction = tick / 4.0;
    const double y = kTop + plot_h * (1.0 - fraction);
    svg += "<line x1=\"" + Number(kLeft) + "\" x2=\"" + Number(kLeft + plot_w) + "\" y1=\"" + Number(y) + "\" y2=\"" +
           Number(y) + "\" stroke=\"#eee\"/>\n";
    svg += "<text x=\"" + Number(kLeft - 6) + "\" y=\"" + Number(y + 4) + "\" text-anchor=\"end\">" +
           Number(max_loss * fraction) + "</text>\n";
    svg +=
        "<text x=\"" + Number(kLeft + plot_w + 6) + "\" y=\"" + Number(y + 4) + "\">" + Number(fraction) + "</text>\n";
  }
  for (std::size_t i = 0; i < n; ++i) {
    svg += "<text x=\"" + Number(x(i)) + "\" y=\"" + Number(kTop + plot_h + 16) + "\" text-anchor=\"middle\">" +
           std::to_string(epochs[i].epoch) + "</text>\n";
  }
  svg += "<text x=\"" + Number(kLeft + plot_w / 2) + "\" y=\"" + Number(kHeight - 10) +
         "\" text-anchor=\"middle\">epoch</text>\n";
  struct Series {
    const char* name;
    const char* color;
    double (*value)(const EpochMetrics&);
    bool f1;
  };
  const Series series[] = {
      {"train loss", "#1f77b4", [](const EpochMetrics& e) { return e.train_loss; }, false},
      {"valid loss", "#ff7f0e", [](const EpochMetrics& e) { return e.valid_loss; }, false},
      {"valid F1 macro", "#2ca02c", [](const EpochMetrics& e) { return e.valid_f1_macro; }, true},
  };
  double legend_x = kLeft + 10;
  for (const auto& s : series) {
    std::string points;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = s.value(epochs[i]);
      const double y = s.f1 ? y_f1(v) : y_loss(v);
      points += Number(x(i)) + "," + Number(y) + " ";
      svg += "<circle cx=\"" + Number(x(i)) + "\" cy=\"" + Number(y) + "\" r=\"3\" fill=\"" + s.color + "\"/>\n";
    }
    svg += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + std::string(s.color) + "\" points=\"" + points +
           "\"/>\n";
    svg += "<rect x=\"" + Number(legend_x) + "\" y=\"" + Number(kTop + 8) + "\" width=\"12\" height=\"3\" fill=\"" +
           s.color + "\"/><text x=\"" + Number(legend_x + 16) + "\" y=\"" + Number(kTop + 13) + "\">" + s.name +
           "</text>\n";
    legend_x += 120;
  }
  svg += "<text x=\"14\" y=\"" + Number(kTop + plot_h / 2) + "\" transform=\"rotate(-90 14 " +
         Number(kTop + plot_h / 2) + ")\" text-anchor=\"middle\">loss</text>\n";
  svg += "<text x=\"" + Number(kWidth - 14) + "\" y=\"" + Number(kTop + plot_h / 2) + "\" transform=\"rotate(90 " +
         Number(kWidth - 14) + " " + Number(kTop + plot_h / 2) + ")\" text-anchor=\"middle\">F1 macro</text>\n";
  svg += "</svg>\n";
  return svg;
}

}  // namespace fastintent::train
