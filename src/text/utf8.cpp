#include "utf8.h"

namespace fastintent::text::detail {
namespace {

// Bounds for the second byte of a sequence given its lead byte (Unicode Table 3-7); later continuation
// bytes are always 80..BF.
struct LeadInfo {
  int length;           // total sequence length, 0 for an invalid lead byte
  unsigned char lo;     // allowed range of the second byte
  unsigned char hi;
};

constexpr LeadInfo Classify(unsigned char lead) {
  if (lead < 0x80) return {1, 0, 0};
  if (lead < 0xC2) return {0, 0, 0};
  if (lead < 0xE0) return {2, 0x80, 0xBF};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};
  if (lead == 0xED) return {3, 0x80, 0x9F};
  if (lead < 0xF0) return {3, 0x80, 0xBF};
  if (lead == 0xF0) return {4, 0x90, 0xBF};
  if (lead < 0xF4) return {4, 0x80, 0xBF};
  if (lead == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

}  // namespace

void DecodeUtf8Lossy(std::string_view bytes, std::vector<DecodedChar>& out) {
  out.clear();
  out.reserve(bytes.size());
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char lead = data[i];
    if (lead < 0x80) {
      out.push_back({lead, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1)});
      ++i;
      continue;
    }
    const LeadInfo info = Classify(lead);
    if (info.length == 0) {
      out.push_back({kReplacementChar, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1)});
      ++i;
      continue;
    }
    char32_t cp = lead & (0xFF >> (info.length + 1));
    std::size_t j = i + 1;
    bool ok = true;
    for (int k = 1; k < info.length; ++k, ++j) {
      if (j >= n) {
        ok = false;
        break;
      }
      const unsigned char c = data[j];
      const unsigned char lo = k == 1 ? info.lo : 0x80;
      const unsigned char hi = k == 1 ? info.hi : 0xBF;
      if (c < lo || c > hi) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    out.push_back({ok ? cp : kReplacementChar, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
    i = j;
  }
}

void AppendUtf8(char32_t cp, std::string& out) {
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

}  // namespace fastintent::text::detail
