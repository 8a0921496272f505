#pragma once
// Hugging Face's character-level normalizers: Strip, StripAccents, Lowercase and Nmt. Each removes or maps
// characters one by one; a kept character keeps its own alignment (Hugging Face attributes a removal to the
// kept character before it, which leaves that character's alignment unchanged).
#include "normalizers/normalizer.h"

namespace fastintent::text::detail {

// Removes whitespace (Rust's char::is_whitespace) on the left and/or right.
class StripNormalizer : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void Normalize(AlignedChars& chars, NormalizerScratch& scratch) const override;

 private:
  bool left_;
  bool right_;
};

// Removes combining marks (general category M), usually after NFD/NFKD.
class StripAccentsNormalizer : public Normalizer {
 public:
  void Normalize(AlignedChars& chars, NormalizerScratch& scratch) const override;
};

// Full lowercase mapping (Rust's char::to_lowercase); extra characters share the source's alignment.
class LowercaseNormalizer : public Normalizer {
 public:
  void Normalize(AlignedChars& chars, NormalizerScratch& scratch) const override;
};

// sentencepiece's nmt_nfkc control-character rules without the NFKC part: removes C0/C1 controls other than
// tab, LF, FF, CR; maps those and a few other spaces (U+1680, U+200B..U+200F, U+2028, U+2029, U+2581,
// U+FEFF, U+FFFD) to ' '.
class NmtNormalizer : public Normalizer {
 public:
  void Normalize(AlignedChars& chars, NormalizerScratch& scratch) const override;
};

// True for the characters StripAccents removes.
bool IsHfCombiningMark(char32_t cp);

}  // namespace fastintent::text::detail
