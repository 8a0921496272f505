#include "unicode_classes.h"

#include <utf8proc.h>

#include <algorithm>

#include "unicode_overrides.h"

namespace fastintent::text::detail {
namespace {

const FlavorOverrides& Overrides(Flavor flavor) {
  return flavor == Flavor::kHfTokenizers ? HfTokenizersOverrides() : TransformersSlowOverrides();
}

utf8proc_category_t Category(char32_t cp) {
  return static_cast<utf8proc_category_t>(utf8proc_category(static_cast<utf8proc_int32_t>(cp)));
}

// \w from utf8proc's categories (the reference's Unicode version may differ: see IsRegexWordChar).
bool IsRegexWordCharBase(char32_t cp) {
  switch (Category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      // Join controls, and the symbols that are Other_Alphabetic (circled and squared Latin letters).
      return cp == 0x200C || cp == 0x200D || (cp >= 0x24B6 && cp <= 0x24E9) || (cp >= 0x1F130 && cp <= 0x1F149) ||
             (cp >= 0x1F150 && cp <= 0x1F169) || (cp >= 0x1F170 && cp <= 0x1F189);
  }
}

bool IsAsciiPunctuation(char32_t cp) {
  return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
}

}  // namespace

bool IsWhitespace(char32_t cp, Flavor flavor) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') return true;
  if (cp < 0x80 && flavor == Flavor::kTransformersSlow) return false;
  if (flavor == Flavor::kHfTokenizers) {
    // Rust char::is_whitespace: the White_Space property (stable since Unicode 6.3).
    switch (cp) {
      case 0x0B:
      case 0x0C:
      case 0x85:
      case 0xA0:
      case 0x1680:
      case 0x2028:
      case 0x2029:
      case 0x202F:
      case 0x205F:
      case 0x3000:
        return true;
      default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
  }
  return Category(cp) == UTF8PROC_CATEGORY_ZS;  // Python _is_whitespace: general category Zs
}

bool IsControl(char32_t cp, Flavor flavor) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;
  const utf8proc_category_t cat = Category(cp);
  // Python's category().startswith("C") includes unassigned code points (Cn); the Rust crate's is_other
  // does not.
  const bool base = cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_CO ||
                    cat == UTF8PROC_CATEGORY_CS || (cat == UTF8PROC_CATEGORY_CN && flavor == Flavor::kTransformersSlow);
  return base != InRanges(Overrides(flavor).control_flip, cp);
}

bool IsPunctuation(char32_t cp, Flavor flavor) {
  if (cp < 0x80) return IsAsciiPunctuation(cp);
  const utf8proc_category_t cat = Category(cp);
  const bool base = cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
  return base != InRanges(Overrides(flavor).punctuation_flip, cp);
}

bool IsCjk(char32_t cp, Flavor flavor) {
  // The two references hard-code slightly different blocks (the Rust one starts Extension E at 0x2B920).
  const char32_t ext_e_begin = flavor == Flavor::kHfTokenizers ? 0x2B920 : 0x2B820;
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
         (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= ext_e_begin && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

bool IsRegexWordChar(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '_';
  return IsRegexWordCharBase(cp) != InRanges(HfTokenizersOverrides().regex_word_flip, cp);
}

bool IsNonspacingMark(char32_t cp, Flavor flavor) {
  if (cp < 0x300) return false;
  const bool base = Category(cp) == UTF8PROC_CATEGORY_MN;
  return base != InRanges(Overrides(flavor).nonspacing_mark_flip, cp);
}

void AppendLowercase(char32_t cp, std::u32string& out, Flavor flavor) {
  if (cp < 0x80) {
    out.push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
    return;
  }
  if (const CodeMapping* m = FindMapping(Overrides(flavor).lowercase, cp)) {
    for (char32_t c : m->to) {
      if (c == 0) break;
      out.push_back(c);
    }
    return;
  }
  if (cp == 0x130) {  // SpecialCasing: the only unconditional multi-character lowercase mapping
    out.push_back(0x69);
    out.push_back(0x307);
    return;
  }
  out.push_back(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
}

void AppendCanonicalDecomposition(char32_t cp, std::u32string& out, Flavor flavor) {
  if (cp < 0xC0) {
    out.push_back(cp);
    return;
  }
  if (const CodeMapping* m = FindMapping(Overrides(flavor).decomposition, cp)) {
    for (char32_t c : m->to) {
      if (c == 0) break;
      out.push_back(c);
    }
    return;
  }
  utf8proc_int32_t buffer[8];
  int last_boundclass = 0;
  const utf8proc_ssize_t n =
      utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buffer, 8, UTF8PROC_DECOMPOSE, &last_boundclass);
  if (n <= 0 || n > 8) {
    out.push_back(cp);
    return;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) out.push_back(static_cast<char32_t>(buffer[i]));
}

int CombiningClass(char32_t cp) {
  if (cp < 0x300) return 0;
  return utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->combining_class;
}

void ComposeNfc(std::u32string& text) {
  std::u32string decomposed;
  decomposed.reserve(text.size() + 8);
  for (char32_t cp : text) AppendCanonicalDecomposition(cp, decomposed, Flavor::kTransformersSlow);
  // Canonical ordering: stable sort of each run of non-starters by combining class.
  std::size_t i = 0;
  while (i < decomposed.size()) {
    if (CombiningClass(decomposed[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < decomposed.size() && CombiningClass(decomposed[j]) != 0) ++j;
    std::stable_sort(decomposed.begin() + static_cast<std::ptrdiff_t>(i),
                     decomposed.begin() + static_cast<std::ptrdiff_t>(j),
                     [](char32_t a, char32_t b) { return CombiningClass(a) < CombiningClass(b); });
    i = j;
  }
  std::basic_string<utf8proc_int32_t> buffer(decomposed.begin(), decomposed.end());
  const utf8proc_ssize_t n =
      utf8proc_normalize_utf32(buffer.data(), static_cast<utf8proc_ssize_t>(buffer.size()),
                               static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
  text.assign(buffer.begin(), buffer.begin() + (n < 0 ? 0 : n));
}

}  // namespace fastintent::text::detail
