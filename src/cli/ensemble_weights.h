#pragma once
// How `fastintent ensemble` chooses its members' weights on a labelled validation file: every point of the
// simplex grid in steps of 1/steps is scored by F1 macro (data::Evaluate, as `fastintent eval` reports it); the
// best wins, ties going to the weights closest to equal. The members run once over the file; each grid point only
// re-mixes their scores (runtime/score_mixture.h, as the ensemble itself mixes them).
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "fastintent/data/dataset.h"
#include "fastintent/data/evaluate.h"
#include "fastintent/runtime/classifier.h"

namespace fastintent::cli {

// Every weight vector of `members` entries, each a multiple of 1/steps, summing to 1 (for 2 members and 10 steps:
// (0, 1), (0.1, 0.9), ..., (1, 0)).
std::vector<std::vector<double>> SimplexGrid(std::size_t members, std::size_t steps);

struct WeightSearch {
  std::vector<data::Metrics> members;  // each member alone on the file
  std::vector<double> weights;         // the chosen mixture
  data::Metrics mixture;               // the chosen mixture on the file
  std::size_t candidates = 0;          // grid points tried
};

// Runs every member over `examples` (in batches of batch_size) and scores every grid point. `labels` is the
// ensemble's label order; every member has that label set. Throws InvalidInput for no examples.
WeightSearch ChooseWeights(const std::vector<std::shared_ptr<const runtime::Classifier>>& members,
                           const std::vector<std::string>& labels, const std::vector<data::Example>& examples,
                           std::size_t batch_size, std::size_t steps = 10);

}  // namespace fastintent::cli
