#include "models/piece_trie.h"

#include <algorithm>

namespace fastintent::text::detail {

PieceTrie::PieceTrie(const std::vector<std::string>& pieces) {
  // Sorted keys (ties by id, so the last of equal spellings comes last): a node covers the range of sorted
  // keys that share its prefix, and its children are the runs of that range with equal next byte. Nodes are
  // placed breadth first; each gets the first base whose slots for all its children's bytes are free.
  std::vector<std::uint32_t> order;
  order.reserve(pieces.size());
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (!pieces[i].empty()) order.push_back(static_cast<std::uint32_t>(i));
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const int c = std::string_view(pieces[a]).compare(pieces[b]);
    return c != 0 ? c < 0 : a < b;
  });
  auto key = [&](std::uint32_t k) -> std::string_view { return pieces[order[k]]; };
  struct Task {
    std::uint32_t node;
    std::uint32_t lo;
    std::uint32_t hi;
    std::uint32_t depth;
  };
  // Free slots are found through `link` (union-find with path compression: link[i] == i for a free slot,
  // else it leads to a later slot), so a search never walks over used slots one by one. Nodes with several
  // children search from `multi_start`, which moves on past crowded stretches (their holes are left to
  // one-child nodes), so the build stays near linear.
  std::vector<std::uint32_t> link;
  auto ensure = [&](std::size_t size) {
    if (units_.size() >= size) return;
    const std::size_t old = units_.size();
    units_.resize(std::max(size, old * 2));
    link.resize(units_.size());
    for (std::size_t i = old; i < link.size(); ++i) link[i] = static_cast<std::uint32_t>(i);
  };
  auto find_free = [&](std::uint32_t i) {
    ensure(static_cast<std::size_t>(i) + 257);
    std::uint32_t root = i;
    while (link[root] != root) {
      root = link[root];
      ensure(static_cast<std::size_t>(root) + 257);
    }
    while (link[i] != root) {
      const std::uint32_t next = link[i];
      link[i] = root;
      i = next;
    }
    return root;
  };
  auto use = [&](std::uint32_t i, std::uint32_t parent) {
    units_[i].check = parent;
    link[i] = i + 1;
  };
  ensure(1024);
  use(0, 0);  // the root; it is nobody's child (every base is at least 1)
  std::uint32_t multi_start = 1;
  std::vector<Task> queue{{0, 0, static_cast<std::uint32_t>(order.size()), 0}};
  std::vector<std::uint8_t> labels;
  std::vector<std::uint32_t> bounds;  // child i covers sorted keys [bounds[i], bounds[i + 1])
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const Task task = queue[q];
    std::uint32_t k = task.lo;
    std::int32_t id = -1;
    while (k < task.hi && key(k).size() == task.depth) id = static_cast<std::int32_t>(order[k++]);
    if (id >= 0) {
      if (ids_.size() <= task.node) ids_.resize(std::max<std::size_t>(task.node + 1, ids_.size() * 2), -1);
      ids_[task.node] = id;
      units_[task.node].base |= kLeaf;
    }
    labels.clear();
    bounds.clear();
    while (k < task.hi) {
      const char c = key(k)[task.depth];
      labels.push_back(static_cast<std::uint8_t>(c));
      bounds.push_back(k);
      while (k < task.hi && key(k)[task.depth] == c) ++k;
    }
    bounds.push_back(task.hi);
    if (labels.empty()) continue;
    // First fit: put the smallest label on a free slot that leaves room for the others.
    const bool single = labels.size() == 1;
    std::uint32_t pos = find_free(std::max<std::uint32_t>(single ? 1 : multi_start, labels[0] + 1u));
    std::uint32_t tries = 0;
    while (!std::all_of(labels.begin() + 1, labels.end(), [&](std::uint8_t l) {
      return units_[pos - labels[0] + l].check == kFree;
    })) {
      pos = find_free(pos + 1);
      ++tries;
    }
    if (!single && tries > 64) multi_start = pos;
    const std::uint32_t base = pos - labels[0];
    units_[task.node].base |= base;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const std::uint32_t child = base + labels[i];
      use(child, task.node);
      queue.push_back({child, bounds[i], bounds[i + 1], task.depth + 1});
    }
  }
  // Padding: base + any byte stays inside the array; unused trailing slots are dropped.
  std::uint32_t max_base = 0;
  std::size_t last_used = 0;
  for (std::size_t i = 0; i < units_.size(); ++i) {
    if (units_[i].check == kFree) continue;
    max_base = std::max(max_base, units_[i].base & kBaseMask);
    last_used = i;
  }
  units_.resize(std::max<std::size_t>(last_used + 1, static_cast<std::size_t>(max_base) + 256));
  units_.shrink_to_fit();
  ids_.resize(units_.size(), -1);
  ids_.shrink_to_fit();
}

}  // namespace fastintent::text::detail
