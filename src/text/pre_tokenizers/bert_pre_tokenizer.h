#pragma once
// BertPreTokenizer: split on whitespace (dropped), then isolate every punctuation character as its own word.
// With the kTransformersSlow flavor it also does what transformers' BasicTokenizer does per word after the
// whitespace split: lowercase and strip accents.
#include "pre_tokenizers/pre_tokenizer.h"
#include "unicode_classes.h"

namespace fastintent::text::detail {

class BertPreTokenizer : public PreTokenizer {
 public:
  explicit BertPreTokenizer(Flavor flavor, bool slow_lowercase = false, bool slow_strip_accents = false)
      : flavor_(flavor), slow_lowercase_(slow_lowercase), slow_strip_accents_(slow_strip_accents) {}
  void Split(std::span<const utf8::DecodedChar> text, Words& out, PreTokenizerScratch& scratch) const override;

 private:
  void SplitPunctuation(std::span<const utf8::DecodedChar> chunk, Words& out) const;

  Flavor flavor_;
  bool slow_lowercase_;
  bool slow_strip_accents_;
};

}  // namespace fastintent::text::detail
