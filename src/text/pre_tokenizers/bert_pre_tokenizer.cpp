#include "pre_tokenizers/bert_pre_tokenizer.h"

#include "normalizers/bert_normalizer.h"

namespace fastintent::text::detail {
namespace {

// transformers' BasicTokenizer splits words with str.split(), which also breaks on U+2028/U+2029 (not Zs,
// so they survive clean_text); `tokenizers` splits on Rust's char::is_whitespace.
bool SplitsWords(char32_t cp, Flavor flavor) {
  if (IsWhitespace(cp, flavor)) return true;
  return flavor == Flavor::kTransformersSlow &&
         (cp == 0x2028 || cp == 0x2029 || (cp >= 0x1C && cp <= 0x1F) || cp == 0x85 || cp == 0x0B || cp == 0x0C);
}

}  // namespace

void BertPreTokenizer::SplitPunctuation(std::span<const utf8::DecodedChar> chunk, Words& out) const {
  std::size_t start = 0;
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    if (IsPunctuation(chunk[i].cp, flavor_)) {
      out.Add(chunk.subspan(start, i - start));
      out.Add(chunk.subspan(i, 1));
      start = i + 1;
    }
  }
  out.Add(chunk.subspan(start));
}

void BertPreTokenizer::Split(std::span<const utf8::DecodedChar> text, Words& out, PreTokenizerScratch& scratch) const {
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && !SplitsWords(text[i].cp, flavor_)) continue;
    if (i > start) {
      if (slow_lowercase_ || slow_strip_accents_) {
        // BasicTokenizer lowercases and strips accents word by word, after the whitespace split.
        scratch.tmp.assign(text.begin() + static_cast<std::ptrdiff_t>(start),
                           text.begin() + static_cast<std::ptrdiff_t>(i));
        if (slow_lowercase_) LowercaseChars(scratch.tmp, scratch.normalizer, flavor_);
        if (slow_strip_accents_) StripAccents(scratch.tmp, scratch.normalizer, flavor_);
        SplitPunctuation(scratch.tmp, out);
      } else {
        SplitPunctuation(text.subspan(start, i - start), out);
      }
    }
    start = i + 1;
  }
}

}  // namespace fastintent::text::detail
