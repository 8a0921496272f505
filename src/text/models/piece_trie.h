#pragma once
// A byte trie over a vocabulary's pieces for common-prefix search, built once at load as a double array:
// the child of node s for byte c is t = base[s] + c if check[t] == s, so each step is one or two loads from
// one array (Unigram's Viterbi walks it from every character of every word).
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
    if (units_.empty()) return;
    std::uint32_t node = 0;
    for (std::size_t k = 0; k < text.size(); ++k) {
      // The array is padded so that base + 255 is always inside it.
      const std::uint32_t child = (units_[node].base & kBaseMask) + static_cast<std::uint8_t>(text[k]);
      if (units_[child].check != node) return;
      node = child;
      if (units_[node].base & kLeaf) f(k + 1, ids_[node]);
    }
  }

  std::size_t unit_count() const { return units_.size(); }

 private:
  // 8 bytes, so that a walk touches as few cache lines as possible; the piece id of a node that ends a piece
  // is kept apart and read only for those.
  struct Unit {
    std::uint32_t base = 0;       // children at base + byte; kLeaf set when a piece ends here
    std::uint32_t check = kFree;  // the parent's index; kFree for an unused slot
  };
  static constexpr std::uint32_t kFree = 0xFFFFFFFFu;
  static constexpr std::uint32_t kLeaf = 0x80000000u;
  static constexpr std::uint32_t kBaseMask = 0x7FFFFFFFu;

  std::vector<Unit> units_;
  std::vector<std::int32_t> ids_;  // by unit index: the piece ending there (only where kLeaf is set)
};

}  // namespace fastintent::text::detail
