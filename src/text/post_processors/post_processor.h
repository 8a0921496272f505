#pragma once
// The post-processor stage: where special tokens go around one sequence or a pair, and the type id of each
// part. TemplateProcessing is a template; BertProcessing ([CLS] A [SEP] B [SEP], types 0/1), RobertaProcessing
// (<s> A </s></s> B </s>, all types 0) and no post-processor (A B, types 0/1) are fixed templates. Without
// special tokens the sequences keep the template's type ids. RobertaProcessing with trim_offsets also moves
// token offsets past the whitespace at either end of the token's string.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fastintent::text::detail {

struct TemplatePart {
  enum class Kind { kSpecial, kSequenceA, kSequenceB };
  Kind kind = Kind::kSpecial;
  std::vector<std::int32_t> ids;    // kSpecial: the ids it expands to
  std::vector<std::string> tokens;  // kSpecial: their tokens
  std::int32_t type_id = 0;
};

struct PostProcessor {
  std::vector<TemplatePart> single;
  std::vector<TemplatePart> pair;
  // RobertaProcessing's trim_offsets and add_prefix_space.
  bool trim_offsets = false;
  bool add_prefix_space = true;
  // Number of special ids the template adds (what truncation must leave room for).
  std::size_t AddedCount(bool is_pair) const;
};

// A token's whitespace at either end of its string, in characters (RobertaProcessing counts Rust's
// whitespace and U+0120 'Ġ', ByteLevel's space).
struct EdgeSpaces {
  std::uint32_t leading = 0;
  std::uint32_t trailing = 0;
};
bool IsTrimmedSpace(char32_t cp);
EdgeSpaces CountEdgeSpaces(std::u32string_view token);
EdgeSpaces CountEdgeSpaces(std::string_view utf8_token);

// RobertaProcessing's process_offsets on one sequence's tokens. Hugging Face's Python API trims character
// offsets; `text` is the input the byte offsets point into, walked to move them by whole characters.
void TrimOffsets(std::string_view text, const std::vector<EdgeSpaces>& spaces, bool add_prefix_space,
                 std::vector<std::pair<std::uint32_t, std::uint32_t>>& offsets);

}  // namespace fastintent::text::detail
