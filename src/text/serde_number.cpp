#include "serde_number.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

namespace fastintent::text::detail {
namespace {

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

// serde_json's overflow check before `value * 10 + digit`.
bool WouldOverflow(std::uint64_t value, unsigned digit) {
  return value > kMaxU64 / 10 || (value == kMaxU64 / 10 && digit > kMaxU64 % 10);
}

// 1e0 .. 1e308, each the correctly rounded double (as Rust's float literals are).
const std::array<double, 309>& PowersOfTen() {
  static const std::array<double, 309> table = [] {
    std::array<double, 309> t{};
    for (int i = 0; i <= 308; ++i)
      t[static_cast<std::size_t>(i)] = std::strtod(("1e" + std::to_string(i)).c_str(), nullptr);
    return t;
  }();
  return table;
}

// serde_json's f64_from_parts without float_roundtrip: significand as f64, then one multiplication or
// division by a power of ten (in steps of 1e308 for tiny numbers).
std::optional<double> FromParts(bool positive, std::uint64_t significand, std::int64_t exponent) {
  const auto& pow10 = PowersOfTen();
  double f = static_cast<double>(significand);
  while (true) {
    const std::int64_t magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude <= 308) {
      if (exponent >= 0) {
        f *= pow10[static_cast<std::size_t>(magnitude)];
        if (f == std::numeric_limits<double>::infinity()) return std::nullopt;
      } else {
        f /= pow10[static_cast<std::size_t>(magnitude)];
      }
      break;
    }
    if (f == 0.0) break;
    if (exponent >= 0) return std::nullopt;
    f /= 1e308;
    exponent += 308;
  }
  return positive ? f : -f;
}

}  // namespace

std::optional<double> ParseSerdeJsonF64(std::string_view s) {
  std::size_t i = 0;
  const bool positive = !(i < s.size() && s[i] == '-');
  if (!positive) ++i;
  auto is_digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  std::uint64_t significand = 0;
  std::int64_t exponent = 0;
  // Integer part: digits accumulate until the next one would overflow; from then on each digit only
  // scales the exponent.
  bool overflowed = false;
  for (; is_digit(i); ++i) {
    const auto digit = static_cast<unsigned>(s[i] - '0');
    if (!overflowed && WouldOverflow(significand, digit)) overflowed = true;
    if (overflowed) {
      ++exponent;
    } else {
      significand = significand * 10 + digit;
    }
  }
  // Fraction: digits accumulate (even after an integer overflow, as serde_json does) until one would
  // overflow; the rest are ignored.
  if (i < s.size() && s[i] == '.') {
    ++i;
    bool ignore = false;
    for (; is_digit(i); ++i) {
      const auto digit = static_cast<unsigned>(s[i] - '0');
      if (!ignore && WouldOverflow(significand, digit)) ignore = true;
      if (!ignore) {
        significand = significand * 10 + digit;
        --exponent;
      }
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool positive_exp = true;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) positive_exp = s[i++] == '+';
    std::int64_t exp = 0;
    for (; is_digit(i); ++i) {
      const auto digit = s[i] - '0';
      if (exp > (std::numeric_limits<std::int32_t>::max() - digit) / 10) {
        // serde_json: a huge positive exponent is out of range; a huge negative one gives zero.
        if (significand != 0 && positive_exp) return std::nullopt;
        return positive ? 0.0 : -0.0;
      }
      exp = exp * 10 + digit;
    }
    // serde_json adds with i32 saturation.
    const std::int64_t sum = positive_exp ? exponent + exp : exponent - exp;
    exponent = std::max<std::int64_t>(std::numeric_limits<std::int32_t>::min(),
                                      std::min<std::int64_t>(std::numeric_limits<std::int32_t>::max(), sum));
  }
  return FromParts(positive, significand, exponent);
}

}  // namespace fastintent::text::detail
