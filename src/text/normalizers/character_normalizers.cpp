#include "normalizers/character_normalizers.h"

#include <utf8proc.h>

#include <algorithm>

#include "normalizers/bert_normalizer.h"
#include "unicode_classes.h"
#include "unicode_overrides.h"

namespace fastintent::text::detail {

bool IsHfCombiningMark(char32_t cp) {
  if (cp < 0x300) return false;
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  const bool mark = cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
  return mark != InRanges(HfTokenizersOverrides().combining_mark_flip, cp);
}

void StripNormalizer::Normalize(AlignedChars& chars, NormalizerScratch& /*scratch*/) const {
  auto space = [](const utf8::DecodedChar& c) { return IsWhitespace(c.cp, Flavor::kHfTokenizers); };
  if (right_) {
    while (!chars.empty() && space(chars.back())) chars.pop_back();
  }
  if (left_) {
    const auto first = std::find_if_not(chars.begin(), chars.end(), space);
    chars.erase(chars.begin(), first);
  }
}

void StripAccentsNormalizer::Normalize(AlignedChars& chars, NormalizerScratch& /*scratch*/) const {
  std::erase_if(chars, [](const utf8::DecodedChar& c) { return IsHfCombiningMark(c.cp); });
}

void LowercaseNormalizer::Normalize(AlignedChars& chars, NormalizerScratch& scratch) const {
  LowercaseChars(chars, scratch, Flavor::kHfTokenizers);
}

void NmtNormalizer::Normalize(AlignedChars& chars, NormalizerScratch& /*scratch*/) const {
  std::erase_if(chars, [](const utf8::DecodedChar& c) {
    const char32_t cp = c.cp;
    return (cp >= 0x01 && cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F) || cp == 0x7F || cp == 0x8F ||
           cp == 0x9F;
  });
  for (utf8::DecodedChar& c : chars) {
    const char32_t cp = c.cp;
    if (cp == 0x09 || cp == 0x0A || cp == 0x0C || cp == 0x0D || cp == 0x1680 || (cp >= 0x200B && cp <= 0x200F) ||
        cp == 0x2028 || cp == 0x2029 || cp == 0x2581 || cp == 0xFEFF || cp == 0xFFFD) {
      c.cp = ' ';
    }
  }
}

}  // namespace fastintent::text::detail
