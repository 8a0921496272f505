// utf8::DecodeLossy must replace invalid input exactly as CPython's bytes.decode("utf-8", errors="replace")
// (the expected code points below were printed by CPython 3.11).
#include "fastintent/common/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using fastintent::utf8::CountCodePoints;
using fastintent::utf8::DecodedChar;
using fastintent::utf8::DecodeLossy;
using fastintent::utf8::Encode;
using fastintent::utf8::FirstInvalid;
using fastintent::utf8::IsValid;
using fastintent::utf8::kReplacementChar;

std::vector<char32_t> Decode(const std::string& bytes) {
  std::vector<DecodedChar> chars;
  DecodeLossy(bytes, chars);
  std::vector<char32_t> out;
  for (const auto& c : chars) out.push_back(c.cp);
  return out;
}

TEST(Utf8, ValidTextDecodesWithByteRanges) {
  std::vector<DecodedChar> chars;
  DecodeLossy("aЖ€😀", chars);
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
  EXPECT_EQ(Decode("\xf0\x9f\x98"
                   "a"),
            (std::vector<char32_t>{R, U'a'}));
  EXPECT_EQ(Decode("\xed\xa0\x80"), (std::vector<char32_t>{R, R, R}));  // surrogate
  EXPECT_EQ(Decode("\xc0\x80"), (std::vector<char32_t>{R, R}));         // overlong
  EXPECT_EQ(Decode("\xf4\x90\x80\x80"), (std::vector<char32_t>{R, R, R, R}));
  EXPECT_EQ(Decode("\xe0\x80\x80"), (std::vector<char32_t>{R, R, R}));
  EXPECT_EQ(Decode("\xe2(\xa1"), (std::vector<char32_t>{R, U'(', R}));
  EXPECT_EQ(Decode("\xff\xfe"), (std::vector<char32_t>{R, R}));
  EXPECT_EQ(Decode("\xd0\x97\xd0"), (std::vector<char32_t>{U'З', R}));
}

TEST(Utf8, EmptyInputGivesNoCharacters) { EXPECT_TRUE(Decode("").empty()); }

TEST(Utf8, ValidatesStrictly) {
  EXPECT_TRUE(IsValid(""));
  EXPECT_TRUE(IsValid("plain ascii"));
  EXPECT_TRUE(IsValid("Ж€😀"));
  EXPECT_FALSE(IsValid("\x80"));
  EXPECT_FALSE(IsValid("\xe2\x82"));          // truncated
  EXPECT_FALSE(IsValid("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValid("\xf4\x90\x80\x80"));  // over U+10FFFF
  EXPECT_FALSE(IsValid("\xe0\x80\xaf"));      // overlong
}

TEST(Utf8, FirstInvalidNamesTheByteOffset) {
  EXPECT_EQ(FirstInvalid("ab\x80"), 2u);
  EXPECT_EQ(FirstInvalid("Ж\xe2\x82"), 2u);
  EXPECT_EQ(FirstInvalid("Ж€😀"), std::nullopt);
}

TEST(Utf8, StrictAndLossyAgreeOnWhatIsValid) {
  // Every invalid byte string decodes to at least one U+FFFD; every valid one round-trips.
  for (const std::string bytes : {"\xe2\x82", "a\xff", "\xed\xa0\x80", "Жx€", "😀", ""}) {
    const std::u32string decoded = DecodeLossy(bytes);
    if (IsValid(bytes)) {
      EXPECT_EQ(Encode(decoded), bytes);
      EXPECT_EQ(CountCodePoints(bytes), decoded.size());
    } else {
      EXPECT_NE(decoded.find(kReplacementChar), std::u32string::npos);
    }
  }
}

}  // namespace
