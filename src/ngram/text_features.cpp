#include "text_features.h"

#include <utf8proc.h>

#include "fastintent/common/utf8.h"

namespace fastintent::ngram::detail {
namespace {

// Python's \w: str.isalnum() (letters, and numeric characters: Nd, Nl, No) or underscore.
bool IsWordChar(char32_t c) {
  if (c == U'_') return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// Python's str.split() separators: str.isspace().
bool IsSpace(char32_t c) {
  if ((c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85) return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::u32string LowercaseCodePoints(std::string_view text) {
  std::u32string out = utf8::DecodeLossy(text);
  for (char32_t& c : out) c = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
  return out;
}

std::vector<std::string> WordNgrams(const std::u32string& lowered, std::size_t min_n, std::size_t max_n) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < lowered.size()) {
    if (!IsWordChar(lowered[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < lowered.size() && IsWordChar(lowered[end])) ++end;
    if (end - i >= 2) tokens.push_back(utf8::Encode(std::u32string_view(lowered).substr(i, end - i)));
    i = end;
  }
  std::vector<std::string> grams;
  if (min_n == 0) return grams;
  for (std::size_t n = min_n; n <= max_n; ++n) {
    if (n == 1) {
      grams.insert(grams.end(), tokens.begin(), tokens.end());
      continue;
    }
    for (std::size_t start = 0; start + n <= tokens.size(); ++start) {
      std::string gram = tokens[start];
      for (std::size_t k = 1; k < n; ++k) gram += ' ' + tokens[start + k];
      grams.push_back(std::move(gram));
    }
  }
  return grams;
}

std::vector<std::string> CharWbNgrams(const std::u32string& lowered, std::size_t min_n, std::size_t max_n) {
  std::vector<std::string> grams;
  if (min_n == 0) return grams;
  std::size_t i = 0;
  while (i < lowered.size()) {
    if (IsSpace(lowered[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < lowered.size() && !IsSpace(lowered[end])) ++end;
    std::u32string padded = U" " + lowered.substr(i, end - i) + U" ";
    i = end;
    const std::u32string_view word(padded);
    for (std::size_t n = min_n; n <= max_n; ++n) {
      std::size_t offset = 0;
      grams.push_back(utf8::Encode(word.substr(offset, n)));
      while (offset + n < word.size()) {
        ++offset;
        grams.push_back(utf8::Encode(word.substr(offset, n)));
      }
      if (offset == 0) break;  // the padded word is not longer than n: counted once (as sklearn does)
    }
  }
  return grams;
}

}  // namespace fastintent::ngram::detail
