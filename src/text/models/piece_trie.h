#pragma once
// A byte trie over a vocabulary's pieces for common-prefix search, built once at load. Children of a node
// are stored together and sorted by byte; the root's children are found through a 256-entry table.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fastintent::text::detail {

class PieceTrie {
 public:
  PieceTrie() = default;
  // `pieces[i]` has id i. A piece spelled like an earlier one takes over its spelling (the highest id wins,
  // as Hugging Face's token -> id map keeps the last entry). Empty pieces never match.
  explicit PieceTrie(const std::vector<std::string>& pieces);

  // Calls f(length, id) for every piece that is a prefix of `text`, shortest first.
  template <class F>
  void ForEachPrefix(std::string_view text, F&& f) const {
    if (ids_.empty()) return;
    std::uint32_t node = 0;
    for (std::size_t k = 0; k < text.size(); ++k) {
      node = Child(node, static_cast<std::uint8_t>(text[k]));
      if (node == kNone) return;
      if (ids_[node] >= 0) f(k + 1, ids_[node]);
    }
  }

  std::size_t node_count() const { return ids_.size(); }

 private:
  static constexpr std::uint32_t kNone = 0;  // the root is never anybody's child

  std::uint32_t Child(std::uint32_t node, std::uint8_t label) const;

  // Node i's children are the nodes [first_child_[i], first_child_[i] + child_count_[i]), sorted by label_.
  std::vector<std::uint32_t> first_child_;
  std::vector<std::uint16_t> child_count_;
  std::vector<std::uint8_t> label_;
  std::vector<std::int32_t> ids_;  // piece id ending at the node, or -1
  std::array<std::uint32_t, 256> root_children_{};
};

}  // namespace fastintent::text::detail
