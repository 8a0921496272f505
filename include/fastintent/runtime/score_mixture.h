#pragma once
// Mixing several models' scores with weights, label by label by name: the one implementation behind an ensemble's
// probabilities (EnsembleClassifier) and `fastintent ensemble`'s weight search on a validation file.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "fastintent/runtime/classifier.h"

namespace fastintent::runtime {

// Label -> class id in the mixture's label order.
using ClassIds = std::unordered_map<std::string, std::size_t>;
ClassIds ClassIdsOf(const std::vector<std::string>& labels);

// Adds weight * score of every entry of prediction.top to mixture[its label's class id]. `prediction` comes from a
// Classify call with top_k = the number of labels, so top holds every label's score. Throws InvalidInput for a
// label that is not in `class_ids` (the caller checked the label sets when it loaded the models).
void AddWeightedScores(const Prediction& prediction, double weight, const ClassIds& class_ids,
                       std::vector<double>& mixture);

}  // namespace fastintent::runtime
