#pragma once
// Added tokens (the special tokens and any tokens added on top of the model vocabulary): they are cut out
// of the text before normalization and map straight to their id, as Hugging Face's AddedVocabulary does.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fastintent::text::detail {

struct AddedToken {
  std::string content;
  std::int32_t id = 0;
  bool single_word = false;  // match only when not inside a word
  bool lstrip = false;       // the match also swallows whitespace on its left
  bool rstrip = false;       // ... and on its right
  bool normalized = false;   // matched in the normalized text instead of the raw input
  bool special = false;
};

// A match of an added token: [begin, end) in the searched text (after lstrip/rstrip extension).
struct AddedMatch {
  std::size_t begin;
  std::size_t end;
  std::int32_t id;
};

// Leftmost-longest matcher over a fixed set of tokens. Immutable after construction.
class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  explicit AddedTokenMatcher(std::vector<AddedToken> tokens);
  bool empty() const { return tokens_.empty(); }
  // Appends the non-overlapping matches in `text`, left to right.
  void FindAll(std::string_view text, std::vector<AddedMatch>& out) const;

 private:
  std::vector<AddedToken> tokens_;
  bool first_byte_[256] = {};
};

}  // namespace fastintent::text::detail
