// DecodeUtf8Lossy must replace invalid input exactly as CPython's bytes.decode("utf-8", errors="replace")
// (the expected code points below were printed by CPython 3.11).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../../src/text/utf8.h"

namespace {

using fastintent::text::detail::DecodedChar;
using fastintent::text::detail::DecodeUtf8Lossy;

std::vector<char32_t> Decode(const std::string& bytes) {
  std::vector<DecodedChar> chars;
  DecodeUtf8Lossy(bytes, chars);
  std::vector<char32_t> out;
  for (const auto& c : chars) out.push_back(c.cp);
  return out;
}

TEST(Utf8, ValidTextDecodesWithByteRanges) {
  std::vector<DecodedChar> chars;
  DecodeUtf8Lossy("aЖ€😀", chars);
  ASSERT_EQ(chars.size(), 4u);
  EXPECT_EQ(chars[0].cp, U'a');
  EXPECT_EQ(chars[1].cp, U'Ж');
  EXPECT_EQ(chars[2].cp, U'€');
  EXPECT_EQ(chars[3].cp, U'😀');
  EXPECT_EQ(chars[1].begin, 1u);
  EXPECT_EQ(chars[1].end, 3u);
  EXPECT_EQ(chars[3].begin, 6u);
  EXPECT_EQ(chars[3].end, 10u);
}

TEST(Utf8, InvalidSequencesBecomeReplacementCharsLikePython) {
  const char32_t R = 0xFFFD;
  EXPECT_EQ(Decode("\xe2\x82"), (std::vector<char32_t>{R}));
  EXPECT_EQ(Decode("\xf0\x9f\x98" "a"), (std::vector<char32_t>{R, U'a'}));
  EXPECT_EQ(Decode("\xed\xa0\x80"), (std::vector<char32_t>{R, R, R}));  // surrogate
  EXPECT_EQ(Decode("\xc0\x80"), (std::vector<char32_t>{R, R}));          // overlong
  EXPECT_EQ(Decode("\xf4\x90\x80\x80"), (std::vector<char32_t>{R, R, R, R}));
  EXPECT_EQ(Decode("\xe0\x80\x80"), (std::vector<char32_t>{R, R, R}));
  EXPECT_EQ(Decode("\xe2(\xa1"), (std::vector<char32_t>{R, U'(', R}));
  EXPECT_EQ(Decode("\xff\xfe"), (std::vector<char32_t>{R, R}));
  EXPECT_EQ(Decode("\xd0\x97\xd0"), (std::vector<char32_t>{U'З', R}));
}

TEST(Utf8, EmptyInputGivesNoCharacters) { EXPECT_TRUE(Decode("").empty()); }

}  // namespace
