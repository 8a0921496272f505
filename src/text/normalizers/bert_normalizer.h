#pragma once
// The BERT normalizer: clean text, space out CJK, strip accents, lowercase. Works on decoded characters
// that remember their byte range in the original input, so offsets survive normalization.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/common/utf8.h"
#include "normalizers/normalizer.h"
#include "unicode_classes.h"

namespace fastintent::text::detail {

struct NormalizerConfig {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool strip_accents = false;  // already resolved (null follows lowercase)
  bool lowercase = false;
  // kHfTokenizers: clean, CJK, strip accents, lowercase (tokenizers' BertNormalizer).
  // kTransformersSlow: clean, CJK, NFC; lowercase then strip accents happen per word in the pre-tokenizer
  // (transformers' BasicTokenizer), so Normalize does only the first three steps.
  Flavor flavor = Flavor::kHfTokenizers;
};

// Normalizes `chars` in place. Every output character keeps the byte range of the input character it
// came from (several outputs may share one range, as in Hugging Face's alignments).
void Normalize(const NormalizerConfig& config, std::vector<utf8::DecodedChar>& chars, NormalizerScratch& scratch);

// Hugging Face's BertNormalizer (or, with kTransformersSlow, the character steps of BasicTokenizer).
class BertNormalizer : public Normalizer {
 public:
  explicit BertNormalizer(NormalizerConfig config) : config_(config) {}
  void Normalize(AlignedChars& chars, NormalizerScratch& scratch) const override {
    detail::Normalize(config_, chars, scratch);
  }

 private:
  NormalizerConfig config_;
};

// The per-word steps (lowercase, strip accents) used on their own by the kTransformersSlow flavor.
void LowercaseChars(std::vector<utf8::DecodedChar>& chars, NormalizerScratch& scratch, Flavor flavor);
void StripAccents(std::vector<utf8::DecodedChar>& chars, NormalizerScratch& scratch, Flavor flavor);

}  // namespace fastintent::text::detail
