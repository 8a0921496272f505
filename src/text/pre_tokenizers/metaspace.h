#pragma once
// Hugging Face's Metaspace pre-tokenizer (SentencePiece's whitespace handling): every ' ' becomes the
// replacement character (U+2581 "▁"), one is prepended unless the split already starts with it (always,
// only for the split that starts the input, or never), and with `split` the text is cut before every
// replacement character. The prepended character shares the first character's alignment.
#include "pre_tokenizers/pre_tokenizer.h"

namespace fastintent::text::detail {

class Metaspace : public PreTokenizer {
 public:
  enum class Prepend { kAlways, kFirst, kNever };
  Metaspace(char32_t replacement, Prepend prepend, bool split)
      : replacement_(replacement), prepend_(prepend), split_(split) {}
  void Split(std::span<const utf8::DecodedChar> text, Words& out, PreTokenizerScratch& scratch) const override;

 private:
  char32_t replacement_;
  Prepend prepend_;
  bool split_;
};

}  // namespace fastintent::text::detail
