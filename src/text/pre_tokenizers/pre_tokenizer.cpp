#include "pre_tokenizers/pre_tokenizer.h"

#include "unicode_classes.h"

namespace fastintent::text::detail {

void PreTokenizerSequence::Split(std::span<const utf8::DecodedChar> text, Words& out,
                                 PreTokenizerScratch& scratch) const {
  if (stages_.empty()) {
    out.Add(text);
    return;
  }
  if (stages_.size() == 1) {
    stages_[0]->Split(text, out, scratch);
    return;
  }
  Words* in = &scratch.stages[0];
  in->clear();
  stages_[0]->Split(text, *in, scratch);
  for (std::size_t k = 1; k < stages_.size(); ++k) {
    Words* next = k + 1 == stages_.size() ? &out : &scratch.stages[k % 2];
    if (next != &out) next->clear();
    for (std::size_t w = 0; w < in->size(); ++w) stages_[k]->Split(in->word(w), *next, scratch);
    in = next;
  }
}

void WhitespaceSplit::Split(std::span<const utf8::DecodedChar> text, Words& out, PreTokenizerScratch&) const {
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && !IsWhitespace(text[i].cp, Flavor::kHfTokenizers)) continue;
    out.Add(text.subspan(start, i - start));
    start = i + 1;
  }
}

}  // namespace fastintent::text::detail
