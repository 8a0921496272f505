#include "added_tokens.h"

#include <vector>

#include "fastintent/common/utf8.h"
#include "unicode_classes.h"

namespace fastintent::text::detail {
namespace {

// Decodes the character that ends at `end` (exclusive) or starts at `begin`; invalid bytes count as U+FFFD.
char32_t CharBefore(std::string_view text, std::size_t end, std::size_t* begin_out) {
  std::size_t b = end;
  while (b > 0 && end - b < 4) {
    --b;
    if (!utf8::IsContinuationByte(text[b])) break;
  }
  std::vector<utf8::DecodedChar> chars;
  utf8::DecodeLossy(text.substr(b, end - b), chars);
  if (chars.empty()) {
    *begin_out = end;
    return 0;
  }
  *begin_out = b + chars.back().begin;
  return chars.back().cp;
}

char32_t CharAt(std::string_view text, std::size_t begin, std::size_t* end_out) {
  std::vector<utf8::DecodedChar> chars;
  utf8::DecodeLossy(text.substr(begin, std::min<std::size_t>(4, text.size() - begin)), chars);
  if (chars.empty()) {
    *end_out = begin;
    return 0;
  }
  *end_out = begin + chars.front().end;
  return chars.front().cp;
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
  std::erase_if(tokens_, [](const AddedToken& t) { return t.content.empty(); });
  for (const AddedToken& t : tokens_) first_byte_[static_cast<unsigned char>(t.content[0])] = true;
}

void AddedTokenMatcher::FindAll(std::string_view text, std::vector<AddedMatch>& out) const {
  if (tokens_.empty()) return;
  std::size_t i = 0;
  std::size_t last_end = 0;
  while (i < text.size()) {
    if (!first_byte_[static_cast<unsigned char>(text[i])]) {
      ++i;
      continue;
    }
    const AddedToken* best = nullptr;
    for (const AddedToken& t : tokens_) {
      if (t.content.size() > text.size() - i) continue;
      if (text.compare(i, t.content.size(), t.content) != 0) continue;
      if (best == nullptr || t.content.size() > best->content.size()) best = &t;
    }
    if (best == nullptr) {
      ++i;
      continue;
    }
    std::size_t begin = i;
    std::size_t end = i + best->content.size();
    if (best->single_word) {
      std::size_t unused = 0;
      const bool word_before = begin > 0 && IsRegexWordChar(CharBefore(text, begin, &unused));
      const bool word_after = end < text.size() && IsRegexWordChar(CharAt(text, end, &unused));
      if (word_before || word_after) {
        ++i;
        continue;
      }
    }
    if (best->lstrip) {
      while (begin > last_end) {
        std::size_t b = 0;
        const char32_t cp = CharBefore(text, begin, &b);
        if (!IsWhitespace(cp, Flavor::kHfTokenizers)) break;
        begin = b;
      }
    }
    if (best->rstrip) {
      while (end < text.size()) {
        std::size_t e = 0;
        const char32_t cp = CharAt(text, end, &e);
        if (!IsWhitespace(cp, Flavor::kHfTokenizers)) break;
        end = e;
      }
    }
    out.push_back({begin, end, best->id});
    last_end = end;
    i = end;
  }
}

}  // namespace fastintent::text::detail
