#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"

namespace fastintent::data {
namespace {

// Fisher-Yates over std::mt19937_64's raw output (fully specified by the standard), so the split is the
// same with every standard library; std::shuffle and the distributions are implementation-defined.
void Shuffle(std::vector<std::size_t>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(items[i - 1], items[j]);
  }
}

}  // namespace

Split StratifiedSplit(const std::vector<Example>& examples, double valid_fraction, std::uint64_t seed,
                      std::optional<char> multi_label_separator) {
  if (!(valid_fraction > 0.0 && valid_fraction < 1.0)) {
    throw InvalidInput("valid fraction: got " + std::to_string(valid_fraction) + ", expected a value in (0, 1)");
  }
  std::map<std::string, std::vector<std::size_t>> by_label;  // ordered: the split does not depend on hashing
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const std::string& field = examples[i].label;
    by_label[multi_label_separator ? field.substr(0, field.find(*multi_label_separator)) : field].push_back(i);
  }

  std::mt19937_64 rng(seed);
  std::vector<bool> in_valid(examples.size(), false);
  for (auto& [label, indices] : by_label) {
    if (indices.size() < 2) {
      throw InvalidInput("cannot stratify: label \"" + label + "\" has 1 example, expected at least 2");
    }
    Shuffle(indices, rng);
    auto take = static_cast<std::size_t>(std::llround(valid_fraction * static_cast<double>(indices.size())));
    take = std::clamp<std::size_t>(take, 1, indices.size() - 1);
    for (std::size_t k = 0; k < take; ++k) in_valid[indices[k]] = true;
  }

  Split split;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    (in_valid[i] ? split.valid : split.train).push_back(examples[i]);
  }
  return split;
}

}  // namespace fastintent::data
