// The sklearn analyzers, by hand: expected n-grams are what TfidfVectorizer.build_analyzer() returns
// for the same strings (checked with scikit-learn 1.5.2).
#include "text_features.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fastintent/common/utf8.h"

namespace fastintent::ngram::detail {
namespace {

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(WordNgrams, TokenPatternDropsOneCharacterTokensAndPunctuation) {
  auto grams = WordNgrams(LowercaseCodePoints("Инет, НЕ пашет! a x1 e_f"), 1, 2);
  EXPECT_EQ(Sorted(grams), Sorted({"инет", "не", "пашет", "x1", "e_f", "инет не", "не пашет", "пашет x1", "x1 e_f"}));
}

TEST(WordNgrams, UnigramsOnly) {
  EXPECT_EQ(WordNgrams(LowercaseCodePoints("Hello World"), 1, 1), (std::vector<std::string>{"hello", "world"}));
}

TEST(CharWbNgrams, PadsWordsAndCountsShortWordsOnce) {
  // " ab " has 4 characters: n=1..4 slide; n=4 yields the whole padded word and stops before n=5.
  auto grams = CharWbNgrams(LowercaseCodePoints("AB"), 1, 5);
  EXPECT_EQ(Sorted(grams), Sorted({" ", "a", "b", " ", " a", "ab", "b ", " ab", "ab ", " ab "}));
}

TEST(CharWbNgrams, SplitsOnUnicodeWhitespace) {
  auto grams = CharWbNgrams(LowercaseCodePoints("я\u00a0ты"), 3, 3);
  EXPECT_EQ(Sorted(grams), Sorted({" я ", " ты", "ты "}));
}

TEST(LowercaseCodePoints, CyrillicAndInvalidBytes) {
  EXPECT_EQ(fastintent::utf8::Encode(LowercaseCodePoints("ЁЖ")), "ёж");
  EXPECT_EQ(fastintent::utf8::Encode(LowercaseCodePoints("a\xFF")), "a\xEF\xBF\xBD");
}

}  // namespace
}  // namespace fastintent::ngram::detail
