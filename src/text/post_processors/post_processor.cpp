#include "post_processors/post_processor.h"

#include "fastintent/common/utf8.h"
#include "unicode_classes.h"

namespace fastintent::text::detail {

using utf8::IsContinuationByte;

std::size_t PostProcessor::AddedCount(bool is_pair) const {
  std::size_t n = 0;
  for (const TemplatePart& part : is_pair ? pair : single) {
    if (part.kind == TemplatePart::Kind::kSpecial) n += part.ids.size();
  }
  return n;
}

bool IsTrimmedSpace(char32_t cp) { return cp == 0x120 || IsWhitespace(cp, Flavor::kHfTokenizers); }

EdgeSpaces CountEdgeSpaces(std::u32string_view token) {
  EdgeSpaces s;
  while (s.leading < token.size() && IsTrimmedSpace(token[s.leading])) ++s.leading;
  while (s.trailing < token.size() && IsTrimmedSpace(token[token.size() - 1 - s.trailing])) ++s.trailing;
  return s;
}

EdgeSpaces CountEdgeSpaces(std::string_view utf8_token) { return CountEdgeSpaces(utf8::DecodeLossy(utf8_token)); }

void TrimOffsets(std::string_view text, const std::vector<EdgeSpaces>& spaces, bool add_prefix_space,
                 std::vector<std::pair<std::uint32_t, std::uint32_t>>& offsets) {
  auto next_char = [&](std::uint32_t at) {
    do {
      ++at;
    } while (at < text.size() && IsContinuationByte(text[at]));
    return at;
  };
  auto previous_char = [&](std::uint32_t at) {
    do {
      --at;
    } while (at > 0 && IsContinuationByte(text[at]));
    return at;
  };
  for (std::size_t i = 0; i < offsets.size() && i < spaces.size(); ++i) {
    auto& [begin, end] = offsets[i];
    std::uint32_t leading = spaces[i].leading;
    const std::uint32_t trailing = spaces[i].trailing;
    if (leading > 0) {
      // The first token keeps one leading space that add_prefix_space would have added.
      if ((i == 0 || begin == 0) && add_prefix_space && leading == 1) leading = 0;
      for (std::uint32_t k = 0; k < leading && begin < end; ++k) begin = next_char(begin);
      begin = std::min(begin, end);
    }
    if (trailing > 0) {
      // Hugging Face compares the end's character offset with the count before moving it back.
      std::uint32_t chars_before_end = 0;
      for (std::uint32_t at = 0; at < end && at < text.size(); ++at)
        chars_before_end += IsContinuationByte(text[at]) ? 0 : 1;
      if (chars_before_end >= trailing) {
        for (std::uint32_t k = 0; k < trailing && end > begin; ++k) end = previous_char(end);
        end = std::max(end, begin);
      }
    }
  }
}

}  // namespace fastintent::text::detail
