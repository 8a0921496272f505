#include "normalizers/normalizer.h"

namespace fastintent::text::detail {

std::string NormalizeString(const Normalizer& normalizer, std::string_view text) {
  AlignedChars chars;
  NormalizerScratch scratch;
  utf8::DecodeLossy(text, chars);
  normalizer.Normalize(chars, scratch);
  std::string out;
  for (const utf8::DecodedChar& c : chars) utf8::Append(c.cp, out);
  return out;
}

void ApplyChanges(AlignedChars& chars, const std::vector<CharChange>& changes, std::size_t initial_removed,
                  AlignedChars& tmp) {
  // `next` is the old character the next non-inserted change takes the place of. Hugging Face indexes
  // bytes; every byte of a character carries the same alignment, so indexing characters is the same.
  tmp.clear();
  std::size_t next = initial_removed;
  for (const CharChange& c : changes) {
    utf8::DecodedChar out{c.cp, 0, 0};
    if (c.change > 0) {
      // Inserted: the alignment of the character before. Hugging Face gives (0, 0) at the very start,
      // which none of the supported normalizers produces (an empty regex match would; those are refused).
      const std::size_t before = next == 0 ? 0 : next - 1;
      if (before < chars.size()) out = {c.cp, chars[before].begin, next == 0 ? chars[before].begin : chars[before].end};
    } else {
      if (next < chars.size()) {
        out = {c.cp, chars[next].begin, chars[next].end};
      } else if (!chars.empty()) {  // more changes than old characters: never produced by our normalizers
        out = {c.cp, chars.back().end, chars.back().end};
      }
      next += 1 + static_cast<std::size_t>(-static_cast<std::int64_t>(c.change));
    }
    tmp.push_back(out);
  }
  chars.swap(tmp);
}

}  // namespace fastintent::text::detail
