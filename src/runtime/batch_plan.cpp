#include "batch_plan.h"

#include <algorithm>
#include <numeric>

namespace fastintent::runtime {

std::vector<std::vector<std::size_t>> PlanBatches(const std::vector<std::size_t>& lengths, std::size_t max_batch_size,
                                                  bool equal_lengths_only) {
  const std::size_t cap = std::max<std::size_t>(max_batch_size, 1);
  std::vector<std::size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lengths[a] < lengths[b]; });
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t index : order) {
    const bool start_new = batches.empty() || batches.back().size() >= cap ||
                           (equal_lengths_only && lengths[batches.back().front()] != lengths[index]);
    if (start_new) batches.emplace_back();
    batches.back().push_back(index);
  }
  return batches;
}

}  // namespace fastintent::runtime
