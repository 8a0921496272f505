// Rendering an Evaluation as JSON and as markdown (the terminal output of `fastintent eval`).
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>
#include <tuple>

#include "fastintent/data/evaluate.h"

namespace fastintent::data {
namespace {

std::string Fixed(double value, int digits = 4) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::string Percent(double value) { return Fixed(100.0 * value, 2) + "%"; }

// Labels may contain '|' which would break a markdown table row.
std::string Cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string EvaluationToJson(const Evaluation& e, const EvaluationContext& context) {
  nlohmann::json j;
  nlohmann::json facts = nlohmann::json::object();
  for (const auto& [key, value] : context.facts) facts[key] = value;
  j["context"] = facts;
  j["count"] = e.metrics.count;
  j["accuracy"] = e.metrics.accuracy;
  j["f1_macro"] = e.metrics.f1_macro;
  j["f1_weighted"] = e.metrics.f1_weighted;
  j["seconds"] = e.seconds;
  j["texts_per_second"] = e.seconds > 0 ? static_cast<double>(e.metrics.count) / e.seconds : 0.0;
  j["examples_with_unknown_label"] = e.examples_with_unknown_label;
  j["calibration_error"] = e.calibration_error;
  j["policy"] = {{"fallback_rate", e.policy_fallback_rate}, {"accuracy_of_rest", e.policy_accuracy_of_rest}};
  j["labels"] = e.labels;
  j["per_class"] = nlohmann::json::array();
  for (const auto& c : e.metrics.per_class) {
    j["per_class"].push_back(
        {{"label", c.label}, {"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1}, {"support", c.support}});
  }
  j["confusion"] = e.metrics.confusion;
  j["fallback"] = nlohmann::json::array();
  for (const auto& p : e.fallback) {
    j["fallback"].push_back({{"threshold", p.threshold},
                             {"fallback_rate", p.fallback_rate},
                             {"accuracy_of_rest", p.accuracy_of_rest},
                             {"kept", p.kept}});
  }
  return j.dump(2) + "\n";
}

std::string EvaluationToMarkdown(const Evaluation& e, const EvaluationContext& context) {
  const Metrics& m = e.metrics;
  std::string out = "## Evaluation\n\n";
  for (const auto& [key, value] : context.facts) out += "- " + key + ": " + value + "\n";
  out +=
      "\n| examples | accuracy | F1 macro | F1 weighted | calibration error | the model's hand-off: sent / accuracy "
      "of the rest | texts/s |\n|---:|---:|---:|---:|---:|---:|---:|\n";
  out += "| " + std::to_string(m.count) + " | " + Fixed(m.accuracy) + " | " + Fixed(m.f1_macro) + " | " +
         Fixed(m.f1_weighted) + " | " + Fixed(e.calibration_error) + " | " + Percent(e.policy_fallback_rate) + " / " +
         Fixed(e.policy_accuracy_of_rest) + " | " +
         (e.seconds > 0 ? Fixed(static_cast<double>(m.count) / e.seconds, 1) : "-") + " |\n";
  if (e.examples_with_unknown_label > 0) {
    out += "\nWarning: " + std::to_string(e.examples_with_unknown_label) +
           " examples have a label the model does not know; they count as errors.\n";
  }

  std::vector<std::size_t> order(m.per_class.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return m.per_class[a].f1 < m.per_class[b].f1; });
  out +=
      "\n### Per class (worst F1 first)\n\n| label | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n";
  for (std::size_t i : order) {
    const auto& c = m.per_class[i];
    out += "| " + Cell(c.label) + " | " + Fixed(c.precision) + " | " + Fixed(c.recall) + " | " + Fixed(c.f1) + " | " +
           std::to_string(c.support) + " |\n";
  }

  std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> confusions;  // count, true, predicted
  for (std::size_t t = 0; t < m.confusion.size(); ++t) {
    for (std::size_t p = 0; p < m.confusion[t].size(); ++p) {
      if (t != p && m.confusion[t][p] > 0) confusions.emplace_back(m.confusion[t][p], t, p);
    }
  }
  std::stable_sort(confusions.begin(), confusions.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  if (!confusions.empty()) {
    out +=
        "\n### Most frequent confusions (the full matrix is in --json)\n\n| true | predicted | count "
        "|\n|---|---|---:|\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(15, confusions.size()); ++i) {
      const auto& [count, t, p] = confusions[i];
      out += "| " + Cell(e.labels[t]) + " | " + Cell(e.labels[p]) + " | " + std::to_string(count) + " |\n";
    }
  }

  if (!e.fallback.empty()) {
    out +=
        "\n### Fallback to an operator (top score below the threshold)\n\n"
        "| threshold | fallback rate | accuracy of the rest | kept |\n|---:|---:|---:|---:|\n";
    for (const auto& p : e.fallback) {
      out += "| " + Fixed(p.threshold, 2) + " | " + Percent(p.fallback_rate) + " | " +
             (p.kept > 0 ? Fixed(p.accuracy_of_rest) : "-") + " | " + std::to_string(p.kept) + " |\n";
    }
  }
  return out;
}

}  // namespace fastintent::data
