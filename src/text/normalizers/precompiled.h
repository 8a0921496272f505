#pragma once
// The Precompiled normalizer: sentencepiece's `precompiled_charsmap`, applied as Hugging Face `tokenizers`
// applies it. The blob is `u32 trie_bytes`, a darts-clone double array of u32 units over UTF-8 keys, then
// NUL-terminated UTF-8 replacement strings that the trie's values point into.
//
// Hugging Face walks the text by extended grapheme cluster. A cluster shorter than 6 bytes is looked up as
// a whole, and if the trie holds any prefix of it the whole cluster becomes the replacement of the shortest
// such prefix (so "ﬁ" + U+0301 becomes "fi": the mark is dropped). Otherwise each character of the cluster
// is looked up alone (again the shortest prefix). Alignments follow its `(char, change)` bookkeeping,
// including where a deletion is attributed to the character before it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "normalizers/normalizer.h"

namespace fastintent::text::detail {

class CharsMap {
 public:
  // Parses the decoded charsmap and checks every trie path a UTF-8 key of up to 5 bytes can take: unit
  // indices inside the array, replacement offsets inside the string blob and on character boundaries.
  // Throws InvalidInput with what is wrong (the caller adds the file and field).
  static CharsMap Parse(std::string_view blob);

  // The replacement of the shortest key that is a prefix of `key` (a key stops at a NUL byte), or nullopt.
  std::optional<std::string_view> Lookup(std::string_view key) const;

  std::size_t unit_count() const { return units_.size(); }

 private:
  std::vector<std::uint32_t> units_;
  std::string replacements_;
};

// Whether an extended grapheme cluster boundary lies between `a` and `b` (UAX #29 with utf8proc's data;
// `state`, 0 at the start of a text, carries what the rules need across calls). Below U+0300 there is no
// Extend, SpacingMark, Prepend, ZWJ, Hangul or regional indicator, so only CR LF stays together there and
// utf8proc is not asked (its state is reset, which is what it would be after such a pair).
bool GraphemeBreak(char32_t a, char32_t b, std::int32_t& state);

// Standard base64 with canonical padding, as Rust's base64 STANDARD engine decodes it; nullopt if malformed.
std::optional<std::string> DecodeBase64(std::string_view text);

class Precompiled : public Normalizer {
 public:
  explicit Precompiled(CharsMap map) : map_(std::move(map)) {}
  void Normalize(AlignedChars& chars, NormalizerScratch& scratch) const override;

 private:
  CharsMap map_;
};

}  // namespace fastintent::text::detail
