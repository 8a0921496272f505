#include "normalizers/bert_normalizer.h"

#include <algorithm>

namespace fastintent::text::detail {
namespace {

bool AllAsciiLowerSafe(const std::vector<utf8::DecodedChar>& chars) {
  for (const utf8::DecodedChar& c : chars) {
    if (c.cp >= 0x80) return false;
  }
  return true;
}

void CleanText(std::vector<utf8::DecodedChar>& chars, Flavor flavor) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < chars.size(); ++i) {
    utf8::DecodedChar c = chars[i];
    if (c.cp == 0 || c.cp == utf8::kReplacementChar || IsControl(c.cp, flavor)) continue;
    if (IsWhitespace(c.cp, flavor)) c.cp = ' ';
    chars[out++] = c;
  }
  chars.resize(out);
}

void SpaceOutCjk(std::vector<utf8::DecodedChar>& chars, NormalizerScratch& scratch, Flavor flavor) {
  bool any = false;
  for (const utf8::DecodedChar& c : chars) {
    if (c.cp >= 0x3400 && IsCjk(c.cp, flavor)) {
      any = true;
      break;
    }
  }
  if (!any) return;
  scratch.tmp.clear();
  for (const utf8::DecodedChar& c : chars) {
    if (c.cp >= 0x3400 && IsCjk(c.cp, flavor)) {
      scratch.tmp.push_back({' ', c.begin, c.end});
      scratch.tmp.push_back(c);
      scratch.tmp.push_back({' ', c.begin, c.end});
    } else {
      scratch.tmp.push_back(c);
    }
  }
  chars.swap(scratch.tmp);
}

// NFD of a whole sequence: decompose each character, then canonically reorder runs of non-starters.
void Decompose(std::vector<utf8::DecodedChar>& chars, NormalizerScratch& scratch, Flavor flavor) {
  scratch.tmp.clear();
  for (const utf8::DecodedChar& c : chars) {
    scratch.mapped.clear();
    AppendCanonicalDecomposition(c.cp, scratch.mapped, flavor);
    for (char32_t m : scratch.mapped) scratch.tmp.push_back({m, c.begin, c.end});
  }
  std::size_t i = 0;
  auto& v = scratch.tmp;
  while (i < v.size()) {
    if (v[i].cp < 0x300 || CombiningClass(v[i].cp) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < v.size() && v[j].cp >= 0x300 && CombiningClass(v[j].cp) != 0) ++j;
    if (j - i > 1) {
      std::stable_sort(v.begin() + static_cast<std::ptrdiff_t>(i), v.begin() + static_cast<std::ptrdiff_t>(j),
                       [](const utf8::DecodedChar& a, const utf8::DecodedChar& b) {
                         return CombiningClass(a.cp) < CombiningClass(b.cp);
                       });
    }
    i = j;
  }
  chars.swap(scratch.tmp);
}

void ComposeChars(std::vector<utf8::DecodedChar>& chars, NormalizerScratch& scratch) {
  // NFC changes nothing for text without a character that can decompose or combine; such text is rare
  // (U+00C0 and above may), so the common case returns before allocating.
  bool maybe = false;
  for (const utf8::DecodedChar& c : chars) {
    if (c.cp >= 0xC0) {
      maybe = true;
      break;
    }
  }
  if (!maybe) return;
  // Compose word by word over runs that start at a starter, keeping the byte range of the whole run for
  // characters that merged (offsets of composed characters cover all their sources).
  scratch.tmp.clear();
  std::size_t i = 0;
  while (i < chars.size()) {
    std::size_t j = i + 1;
    while (j < chars.size() && CombiningClass(chars[j].cp) != 0) ++j;
    if (j - i == 1 && chars[i].cp < 0x300) {
      scratch.tmp.push_back(chars[i]);
      i = j;
      continue;
    }
    scratch.mapped.clear();
    for (std::size_t k = i; k < j; ++k) scratch.mapped.push_back(chars[k].cp);
    // A following starter may compose with this run (e.g. Hangul L+V), so include one more character.
    bool took_next = false;
    if (j < chars.size()) {
      scratch.mapped.push_back(chars[j].cp);
      took_next = true;
    }
    const std::u32string before = scratch.mapped;
    ComposeNfc(scratch.mapped);
    if (scratch.mapped == before) {
      for (std::size_t k = i; k < j; ++k) scratch.tmp.push_back(chars[k]);
      i = j;
      continue;
    }
    const std::uint32_t begin = chars[i].begin;
    const std::uint32_t end = took_next ? chars[j].end : chars[j - 1].end;
    for (char32_t cp : scratch.mapped) scratch.tmp.push_back({cp, begin, end});
    i = took_next ? j + 1 : j;
  }
  chars.swap(scratch.tmp);
}

}  // namespace

void LowercaseChars(std::vector<utf8::DecodedChar>& chars, NormalizerScratch& scratch, Flavor flavor) {
  if (AllAsciiLowerSafe(chars)) {
    for (utf8::DecodedChar& c : chars) {
      if (c.cp >= 'A' && c.cp <= 'Z') c.cp += 32;
    }
    return;
  }
  scratch.tmp.clear();
  for (const utf8::DecodedChar& c : chars) {
    scratch.mapped.clear();
    AppendLowercase(c.cp, scratch.mapped, flavor);
    for (char32_t m : scratch.mapped) scratch.tmp.push_back({m, c.begin, c.end});
  }
  chars.swap(scratch.tmp);
}

void StripAccents(std::vector<utf8::DecodedChar>& chars, NormalizerScratch& scratch, Flavor flavor) {
  bool any = false;
  for (const utf8::DecodedChar& c : chars) {
    if (c.cp >= 0xC0) {
      any = true;
      break;
    }
  }
  if (!any) return;
  Decompose(chars, scratch, flavor);
  std::size_t out = 0;
  for (std::size_t i = 0; i < chars.size(); ++i) {
    if (!IsNonspacingMark(chars[i].cp, flavor)) chars[out++] = chars[i];
  }
  chars.resize(out);
}

void Normalize(const NormalizerConfig& config, std::vector<utf8::DecodedChar>& chars, NormalizerScratch& scratch) {
  if (config.clean_text) CleanText(chars, config.flavor);
  if (config.handle_chinese_chars) SpaceOutCjk(chars, scratch, config.flavor);
  if (config.flavor == Flavor::kTransformersSlow) {
    ComposeChars(chars, scratch);
    return;
  }
  if (config.strip_accents) StripAccents(chars, scratch, config.flavor);
  if (config.lowercase) LowercaseChars(chars, scratch, config.flavor);
}

}  // namespace fastintent::text::detail
