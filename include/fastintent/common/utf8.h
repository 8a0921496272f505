#pragma once
// The one UTF-8 codec of the project: lossy decoding with Python's errors="replace" semantics (the tokenizer,
// the n-gram features), strict validation (data files, request bodies) and encoding of code points.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fastintent::utf8 {

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
// Surrogates (ED A0..BF xx), overlongs and values above U+10FFFF are invalid.
void DecodeLossy(std::string_view bytes, std::vector<DecodedChar>& out);

// The code points of `bytes`, decoded as DecodeLossy does.
std::u32string DecodeLossy(std::string_view bytes);

// Byte offset of the first byte that does not start a well-formed UTF-8 sequence (the same rules as
// DecodeLossy), or nullopt when all of `bytes` is valid.
std::optional<std::size_t> FirstInvalid(std::string_view bytes);

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
inline bool IsValid(std::string_view bytes) { return !FirstInvalid(bytes).has_value(); }

// True for a UTF-8 continuation byte (10xxxxxx): one that never starts a character.
inline bool IsContinuationByte(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

// Number of code points in valid UTF-8 `bytes` (continuation bytes are not counted).
std::size_t CountCodePoints(std::string_view bytes);

// Appends the UTF-8 encoding of a Unicode scalar value `cp` to `out`.
void Append(char32_t cp, std::string& out);

// The UTF-8 encoding of `code_points` (each a Unicode scalar value).
std::string Encode(std::u32string_view code_points);

}  // namespace fastintent::utf8
