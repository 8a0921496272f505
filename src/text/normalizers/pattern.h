#pragma once
// What a Replace normalizer looks for: a literal string, or a regular expression from the subset that real
// tokenizer.json files use (" {2,}", "\s+", ...): characters, `.`, `\s`/`\S`, character classes with ranges,
// and the greedy quantifiers * + ? {n} {n,} {n,m}. Hugging Face compiles both forms with Oniguruma and
// replaces leftmost, non-overlapping matches; this matcher gives the same matches for the subset (greedy
// backtracking, `.` not matching "\n", `\s` the Unicode White_Space characters). Alternation, groups,
// anchors, other escapes and patterns that can match the empty string are refused at load.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "normalizers/normalizer.h"

namespace fastintent::text::detail {

class Pattern {
 public:
  // A literal string (must not be empty).
  static Pattern Literal(std::string_view text);
  // A regular expression; throws InvalidInput naming what is not supported.
  static Pattern Regex(std::string_view pattern);

  // Appends the leftmost non-overlapping matches in `text` as [begin, end) character ranges (never empty).
  void FindAll(const AlignedChars& text, std::vector<std::pair<std::size_t, std::size_t>>& out) const;

 private:
  struct Atom {
    enum class Kind { kChar, kAny, kClass } kind = Kind::kChar;
    char32_t cp = 0;
    bool negated = false;                               // kClass: [^...]
    bool space = false;                                 // kClass: contains \s
    bool non_space = false;                             // kClass: contains \S
    std::vector<std::pair<char32_t, char32_t>> ranges;  // kClass: inclusive ranges
    bool Matches(char32_t c) const;
  };
  struct Item {
    Atom atom;
    std::uint32_t min = 1;
    std::uint32_t max = 1;  // kUnbounded for no upper bound
  };
  static constexpr std::uint32_t kUnbounded = 0xFFFFFFFFu;
  // Literal strings compare directly; a regex recurses once per item and remembers failures per (item,
  // position), so both its depth and that memory (bits) are bounded by the item count.
  static constexpr std::size_t kMaxLiteral = 1024;
  static constexpr std::size_t kMaxRegexItems = 32;

  bool MatchFrom(const AlignedChars& text, std::size_t item, std::size_t pos, std::vector<std::uint64_t>& failed,
                 std::size_t& end) const;

  bool literal_ = false;  // every item one fixed character

  std::vector<Item> items_;
};

// Hugging Face's Replace normalizer: every match becomes `content`; the new characters all carry the
// alignment of the match's last character.
class Replace : public Normalizer {
 public:
  Replace(Pattern pattern, std::string_view content);
  void Normalize(AlignedChars& chars, NormalizerScratch& scratch) const override;

 private:
  Pattern pattern_;
  std::u32string content_;
};

}  // namespace fastintent::text::detail
