#include "pre_tokenizers/metaspace.h"

namespace fastintent::text::detail {

void Metaspace::Split(std::span<const utf8::DecodedChar> text, Words& out, PreTokenizerScratch& scratch) const {
  if (text.empty()) return;
  AlignedChars& t = scratch.tmp;
  t.clear();
  const char32_t first = text[0].cp == ' ' ? replacement_ : text[0].cp;
  // kFirst: Hugging Face prepends when the split starts at offset 0 of the input (its original_shift),
  // which is where the split's first character is aligned.
  const bool prepend = prepend_ == Prepend::kAlways || (prepend_ == Prepend::kFirst && text[0].begin == 0);
  if (prepend && first != replacement_) t.push_back({replacement_, text[0].begin, text[0].end});
  for (const utf8::DecodedChar& c : text) t.push_back({c.cp == ' ' ? replacement_ : c.cp, c.begin, c.end});
  if (!split_) {
    out.Add(t);
    return;
  }
  // Split before every replacement character (Hugging Face's MergedWithNext).
  std::size_t start = 0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t[i].cp != replacement_) continue;
    out.Add(std::span<const utf8::DecodedChar>(t).subspan(start, i - start));
    start = i;
  }
  out.Add(std::span<const utf8::DecodedChar>(t).subspan(start));
}

}  // namespace fastintent::text::detail
