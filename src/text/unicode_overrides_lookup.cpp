#include <algorithm>

#include "unicode_overrides.h"

namespace fastintent::text::detail {

bool InRanges(std::span<const CodeRange> ranges, char32_t cp) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), cp,
                             [](char32_t value, const CodeRange& r) { return value < r.lo; });
  if (it == ranges.begin()) return false;
  --it;
  return cp <= it->hi;
}

const CodeMapping* FindMapping(std::span<const CodeMapping> mappings, char32_t cp) {
  auto it = std::lower_bound(mappings.begin(), mappings.end(), cp,
                             [](const CodeMapping& m, char32_t value) { return m.from < value; });
  return it != mappings.end() && it->from == cp ? &*it : nullptr;
}

}  // namespace fastintent::text::detail
