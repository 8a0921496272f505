#include "models/piece_trie.h"

#include <algorithm>

namespace fastintent::text::detail {

PieceTrie::PieceTrie(const std::vector<std::string>& pieces) {
  // Sorted keys (ties by id, so the last of equal spellings comes last) let every node's children be
  // created together, breadth first: a node covers the range of sorted keys that share its prefix.
  std::vector<std::uint32_t> order;
  order.reserve(pieces.size());
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (!pieces[i].empty()) order.push_back(static_cast<std::uint32_t>(i));
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const int c = std::string_view(pieces[a]).compare(pieces[b]);
    return c != 0 ? c < 0 : a < b;
  });
  struct Task {
    std::uint32_t node;
    std::uint32_t lo;
    std::uint32_t hi;
    std::uint32_t depth;
  };
  first_child_.push_back(0);
  child_count_.push_back(0);
  label_.push_back(0);
  ids_.push_back(-1);
  std::vector<Task> queue{{0, 0, static_cast<std::uint32_t>(order.size()), 0}};
  for (std::size_t t = 0; t < queue.size(); ++t) {
    const Task task = queue[t];
    auto key = [&](std::uint32_t k) -> std::string_view { return pieces[order[k]]; };
    std::uint32_t k = task.lo;
    while (k < task.hi && key(k).size() == task.depth) ids_[task.node] = static_cast<std::int32_t>(order[k++]);
    first_child_[task.node] = static_cast<std::uint32_t>(ids_.size());
    std::uint16_t count = 0;
    while (k < task.hi) {
      const char c = key(k)[task.depth];
      std::uint32_t j = k;
      while (j < task.hi && key(j)[task.depth] == c) ++j;
      const auto child = static_cast<std::uint32_t>(ids_.size());
      first_child_.push_back(0);
      child_count_.push_back(0);
      label_.push_back(static_cast<std::uint8_t>(c));
      ids_.push_back(-1);
      queue.push_back({child, k, j, task.depth + 1});
      if (task.node == 0) root_children_[static_cast<std::uint8_t>(c)] = child;
      ++count;
      k = j;
    }
    child_count_[task.node] = count;
  }
}

std::uint32_t PieceTrie::Child(std::uint32_t node, std::uint8_t label) const {
  if (node == 0) return root_children_[label];
  const std::uint32_t first = first_child_[node];
  const std::uint32_t count = child_count_[node];
  if (count <= 8) {
    for (std::uint32_t i = first; i < first + count; ++i) {
      if (label_[i] == label) return i;
    }
    return kNone;
  }
  const auto begin = label_.begin() + first;
  const auto end = begin + count;
  const auto it = std::lower_bound(begin, end, label);
  return it != end && *it == label ? static_cast<std::uint32_t>(it - label_.begin()) : kNone;
}

}  // namespace fastintent::text::detail
