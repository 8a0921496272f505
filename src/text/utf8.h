#pragma once
// UTF-8 decoding with Python's errors="replace" semantics, and encoding of code points.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fastintent::text::detail {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// One decoded character and the byte range [begin, end) it came from in the input.
struct DecodedChar {
  char32_t cp;
  std::uint32_t begin;
  std::uint32_t end;
};

// Decodes `bytes` into `out` (cleared first). Never fails: each maximal invalid subsequence (an invalid
// start byte, or a valid start byte plus the valid continuation bytes read before the sequence broke or the
// input ended) becomes one U+FFFD, exactly as CPython's bytes.decode("utf-8", errors="replace").
// Surrogates (ED A0..BF xx) and overlongs are invalid.
void DecodeUtf8Lossy(std::string_view bytes, std::vector<DecodedChar>& out);

// Appends the UTF-8 encoding of a valid scalar value `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out);

}  // namespace fastintent::text::detail
