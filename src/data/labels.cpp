#include <algorithm>

#include "fastintent/data/dataset.h"

namespace fastintent::data {

std::vector<std::string> LabelSet(const std::vector<Example>& examples) {
  std::vector<std::string> labels;
  labels.reserve(examples.size());
  for (const auto& example : examples) labels.push_back(example.label);
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  return labels;
}

}  // namespace fastintent::data
