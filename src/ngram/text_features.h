#pragma once
// The analyzers of scikit-learn's TfidfVectorizer that the n-gram baseline mirrors (internal).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fastintent::ngram::detail {

// UTF-8 → lowercased code points (utf8proc's simple case mapping, which equals Python's str.lower()
// except for the few characters whose lowercase is several code points). Invalid bytes become U+FFFD
// as utf8::DecodeLossy decodes them.
std::u32string LowercaseCodePoints(std::string_view text);

// analyzer="word", token_pattern r"(?u)\b\w\w+\b": maximal runs of word characters (letters, digits,
// underscore) of length >= 2, then n-grams of min_n..max_n tokens joined by one space.
std::vector<std::string> WordNgrams(const std::u32string& lowered, std::size_t min_n, std::size_t max_n);

// analyzer="char_wb": each whitespace-separated word padded with one space on both sides, then character
// n-grams of min_n..max_n inside it; a padded word shorter than n yields itself once and stops.
std::vector<std::string> CharWbNgrams(const std::u32string& lowered, std::size_t min_n, std::size_t max_n);

}  // namespace fastintent::ngram::detail
