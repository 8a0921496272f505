#include "ensemble_weights.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "fastintent/common/error.h"
#include "fastintent/runtime/score_mixture.h"

namespace fastintent::cli {
namespace {

// Each member's predictions of every example over all labels (top_k = the label count), in example order.
using MemberPredictions = std::vector<runtime::Prediction>;

MemberPredictions PredictAll(const runtime::Classifier& member, std::size_t labels,
                             const std::vector<data::Example>& examples, std::size_t batch_size) {
  MemberPredictions out;
  out.reserve(examples.size());
  for (std::size_t start = 0; start < examples.size(); start += batch_size) {
    std::vector<std::string> texts;
    for (std::size_t i = start; i < std::min(examples.size(), start + batch_size); ++i) {
      texts.push_back(examples[i].text);
    }
    for (auto& prediction : member.Classify(texts, labels)) out.push_back(std::move(prediction));
  }
  return out;
}

// One row of every label's mixed probability per example.
using ScoreTable = std::vector<std::vector<double>>;

ScoreTable Mix(const std::vector<MemberPredictions>& members, const std::vector<double>& weights,
               const runtime::ClassIds& class_ids) {
  const std::size_t examples = members.front().size();
  ScoreTable table(examples, std::vector<double>(class_ids.size(), 0.0));
  for (std::size_t m = 0; m < members.size(); ++m) {
    for (std::size_t t = 0; t < examples; ++t) runtime::AddWeightedScores(members[m][t], weights[m], class_ids, table[t]);
  }
  return table;
}

// Metrics of the argmax of each row (ties: the lower class id), computed as `fastintent eval` does.
data::Metrics MetricsOf(const ScoreTable& table, const std::vector<std::string>& labels,
                        const std::vector<data::Example>& examples) {
  std::size_t next = 0;
  const auto predict = [&](const std::vector<std::string>& texts) {
    std::vector<data::TopPrediction> out;
    for (std::size_t i = 0; i < texts.size(); ++i, ++next) {
      const auto& row = table.at(next);
      const auto best = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
      out.emplace_back(labels[best], static_cast<float>(row[best]));
    }
    return out;
  };
  return data::Evaluate(examples, labels, predict).metrics;
}

double DistanceFromEqual(const std::vector<double>& weights) {
  const double equal = 1.0 / static_cast<double>(weights.size());
  double sum = 0;
  for (const double w : weights) sum += (w - equal) * (w - equal);
  return std::sqrt(sum);
}

}  // namespace

std::vector<std::vector<double>> SimplexGrid(std::size_t members, std::size_t steps) {
  std::vector<std::vector<double>> grid;
  std::vector<std::size_t> parts(members, 0);
  // Places the remaining steps on members i.. in every way; the last member takes what is left.
  std::function<void(std::size_t, std::size_t)> place = [&](std::size_t i, std::size_t left) {
    if (i + 1 == members) {
      parts[i] = left;
      std::vector<double> weights;
      for (const std::size_t part : parts) weights.push_back(static_cast<double>(part) / static_cast<double>(steps));
      grid.push_back(std::move(weights));
      return;
    }
    for (std::size_t k = 0; k <= left; ++k) {
      parts[i] = k;
      place(i + 1, left - k);
    }
  };
  if (members > 0 && steps > 0) place(0, steps);
  return grid;
}

WeightSearch ChooseWeights(const std::vector<std::shared_ptr<const runtime::Classifier>>& members,
                           const std::vector<std::string>& labels, const std::vector<data::Example>& examples,
                           std::size_t batch_size, std::size_t steps) {
  if (examples.empty()) throw InvalidInput("--valid: got 0 examples, expected labelled texts to choose weights on");
  const runtime::ClassIds class_ids = runtime::ClassIdsOf(labels);
  WeightSearch search;
  std::vector<MemberPredictions> predictions;
  for (const auto& member : members) predictions.push_back(PredictAll(*member, labels.size(), examples, batch_size));
  for (std::size_t m = 0; m < members.size(); ++m) {
    std::vector<double> alone(members.size(), 0.0);
    alone[m] = 1.0;
    search.members.push_back(MetricsOf(Mix(predictions, alone, class_ids), labels, examples));
  }
  bool have_best = false;
  for (const auto& weights : SimplexGrid(members.size(), steps)) {
    ++search.candidates;
    const data::Metrics metrics = MetricsOf(Mix(predictions, weights, class_ids), labels, examples);
    const bool better = !have_best || metrics.f1_macro > search.mixture.f1_macro ||
                        (metrics.f1_macro == search.mixture.f1_macro &&
                         DistanceFromEqual(weights) < DistanceFromEqual(search.weights));
    if (better) {
      have_best = true;
      search.weights = weights;
      search.mixture = metrics;
    }
  }
  return search;
}

}  // namespace fastintent::cli
