#include "fastintent/runtime/score_mixture.h"

#include "fastintent/common/error.h"

namespace fastintent::runtime {

ClassIds ClassIdsOf(const std::vector<std::string>& labels) {
  ClassIds ids;
  for (std::size_t i = 0; i < labels.size(); ++i) ids.emplace(labels[i], i);
  return ids;
}

void AddWeightedScores(const Prediction& prediction, double weight, const ClassIds& class_ids,
                       std::vector<double>& mixture) {
  for (const LabelScore& entry : prediction.top) {
    const auto found = class_ids.find(entry.label);
    if (found == class_ids.end() || found->second >= mixture.size()) {
      throw InvalidInput("mixing scores: label \"" + entry.label + "\" is not one of the mixture's labels");
    }
    mixture[found->second] += weight * static_cast<double>(entry.score);
  }
}

}  // namespace fastintent::runtime
