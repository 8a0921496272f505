#include "fastintent/common/utf8.h"

namespace fastintent::utf8 {
namespace {

// What a lead byte allows (Unicode Table 3-7): the sequence length (0 for a byte that cannot start one)
// and the range of the second byte; later continuation bytes are always 80..BF.
struct LeadInfo {
  int length;
  unsigned char lo;
  unsigned char hi;
};

constexpr LeadInfo Classify(unsigned char lead) {
  if (lead < 0x80) return {1, 0, 0};
  if (lead < 0xC2) return {0, 0, 0};
  if (lead < 0xE0) return {2, 0x80, 0xBF};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};  // no overlongs
  if (lead == 0xED) return {3, 0x80, 0x9F};  // no UTF-16 surrogates
  if (lead < 0xF0) return {3, 0x80, 0xBF};
  if (lead == 0xF0) return {4, 0x90, 0xBF};  // no overlongs
  if (lead < 0xF4) return {4, 0x80, 0xBF};
  if (lead == 0xF4) return {4, 0x80, 0x8F};  // nothing above U+10FFFF
  return {0, 0, 0};
}

// Reads one sequence at data[i]. Returns its end and sets `cp`; a sequence that breaks ends at the first
// byte that does not belong to it (the maximal invalid subsequence) and gives `valid` false.
std::size_t ReadOne(const unsigned char* data, std::size_t n, std::size_t i, char32_t& cp, bool& valid) {
  const unsigned char lead = data[i];
  const LeadInfo info = Classify(lead);
  if (info.length == 1) {
    cp = lead;
    valid = true;
    return i + 1;
  }
  if (info.length == 0) {
    valid = false;
    return i + 1;
  }
  cp = lead & (0xFF >> (info.length + 1));
  std::size_t j = i + 1;
  for (int k = 1; k < info.length; ++k, ++j) {
    const unsigned char lo = k == 1 ? info.lo : 0x80;
    const unsigned char hi = k == 1 ? info.hi : 0xBF;
    if (j >= n || data[j] < lo || data[j] > hi) {
      valid = false;
      return j;
    }
    cp = (cp << 6) | (data[j] & 0x3F);
  }
  valid = true;
  return j;
}

}  // namespace

void DecodeLossy(std::string_view bytes, std::vector<DecodedChar>& out) {
  out.clear();
  out.reserve(bytes.size());
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  for (std::size_t i = 0; i < n;) {
    char32_t cp = 0;
    bool valid = false;
    const std::size_t end = ReadOne(data, n, i, cp, valid);
    out.push_back({valid ? cp : kReplacementChar, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end)});
    i = end;
  }
}

std::u32string DecodeLossy(std::string_view bytes) {
  std::u32string out;
  out.reserve(bytes.size());
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t i = 0; i < bytes.size();) {
    char32_t cp = 0;
    bool valid = false;
    i = ReadOne(data, bytes.size(), i, cp, valid);
    out.push_back(valid ? cp : kReplacementChar);
  }
  return out;
}

std::optional<std::size_t> FirstInvalid(std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t i = 0; i < bytes.size();) {
    if (data[i] < 0x80) {  // ASCII fast path
      ++i;
      continue;
    }
    char32_t cp = 0;
    bool valid = false;
    const std::size_t end = ReadOne(data, bytes.size(), i, cp, valid);
    if (!valid) return i;
    i = end;
  }
  return std::nullopt;
}

std::size_t CountCodePoints(std::string_view bytes) {
  std::size_t count = 0;
  for (const char c : bytes) count += !IsContinuationByte(c);
  return count;
}

void Append(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string Encode(std::u32string_view code_points) {
  std::string out;
  out.reserve(code_points.size() * 2);
  for (const char32_t cp : code_points) Append(cp, out);
  return out;
}

}  // namespace fastintent::utf8
