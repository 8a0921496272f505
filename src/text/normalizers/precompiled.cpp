#include "normalizers/precompiled.h"

#include <utf8proc.h>

#include <array>
#include <cstring>
#include <unordered_set>

#include "fastintent/common/error.h"
#include "unicode_overrides.h"

namespace fastintent::text::detail {
namespace {

// darts-clone unit fields, as sentencepiece (and Hugging Face's spm_precompiled) read them.
bool HasLeaf(std::uint32_t unit) { return ((unit >> 8) & 1) != 0; }
std::uint32_t Value(std::uint32_t unit) { return unit & 0x7FFFFFFFu; }
std::uint32_t Label(std::uint32_t unit) { return unit & 0x800000FFu; }
std::uint64_t Offset(std::uint32_t unit) { return static_cast<std::uint64_t>(unit >> 10) << ((unit & (1u << 9)) >> 6); }

// Which bytes may come next in well-formed UTF-8, as a small automaton: kStart is "at a character
// boundary"; the other states expect continuation bytes (some with a narrowed range).
enum Utf8State : std::uint8_t { kStart, kCont1, kCont2, kCont3, kAfterE0, kAfterED, kAfterF0, kAfterF4, kInvalid };

Utf8State NextState(Utf8State state, std::uint8_t b) {
  const bool cont = b >= 0x80 && b <= 0xBF;
  switch (state) {
    case kStart:
      if (b >= 0x01 && b <= 0x7F) return kStart;  // NUL ends a key
      if (b >= 0xC2 && b <= 0xDF) return kCont1;
      if (b == 0xE0) return kAfterE0;
      if (b == 0xED) return kAfterED;
      if (b >= 0xE1 && b <= 0xEF) return kCont2;
      if (b == 0xF0) return kAfterF0;
      if (b >= 0xF1 && b <= 0xF3) return kCont3;
      if (b == 0xF4) return kAfterF4;
      return kInvalid;
    case kCont1:
      return cont ? kStart : kInvalid;
    case kCont2:
      return cont ? kCont1 : kInvalid;
    case kCont3:
      return cont ? kCont2 : kInvalid;
    case kAfterE0:
      return b >= 0xA0 && b <= 0xBF ? kCont1 : kInvalid;
    case kAfterED:
      return b >= 0x80 && b <= 0x9F ? kCont1 : kInvalid;
    case kAfterF0:
      return b >= 0x90 && b <= 0xBF ? kCont2 : kInvalid;
    case kAfterF4:
      return b >= 0x80 && b <= 0x8F ? kCont2 : kInvalid;
    default:
      return kInvalid;
  }
}

// Hugging Face looks up clusters shorter than 6 bytes, and single characters (at most 4 bytes).
constexpr int kMaxKeyBytes = 5;

std::string Hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(v));
  return buf;
}

// Appends the changes that replace `old_count` characters by `replacement` (spm_precompiled's `replace`):
// the new characters take the old ones' places in order; surplus ones are inserted; a shortfall is removed
// after the last change so far, which may belong to an earlier cluster.
void AppendReplacement(std::vector<CharChange>& changes, std::size_t old_count, std::string_view replacement) {
  const std::size_t first = changes.size();
  for (std::size_t i = 0; i < replacement.size();) {
    std::int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(replacement.data() + i),
                                    static_cast<utf8proc_ssize_t>(replacement.size() - i), &cp);
    if (n <= 0) break;  // the blob was validated as UTF-8 at load
    changes.push_back({static_cast<char32_t>(cp), 0});
    i += static_cast<std::size_t>(n);
  }
  const auto added = static_cast<std::int64_t>(changes.size() - first);
  const std::int64_t diff = added - static_cast<std::int64_t>(old_count);
  if (diff > 0) {
    for (std::size_t k = changes.size() - static_cast<std::size_t>(diff); k < changes.size(); ++k)
      changes[k].change = 1;
  } else if (diff < 0 && !changes.empty()) {
    changes.back().change += static_cast<std::int32_t>(diff);
  }
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    std::uint32_t bits = 0;
    for (int k = 0; k < 4; ++k) {
      int v = 0;
      if (k >= 4 - pad) {
        if (text[i + static_cast<std::size_t>(k)] != '=') return std::nullopt;
      } else {
        v = sextet(text[i + static_cast<std::size_t>(k)]);
        if (v < 0) return std::nullopt;
      }
      bits = bits << 6 | static_cast<std::uint32_t>(v);
    }
    // Canonical: the bits under the padding must be zero.
    if ((pad == 1 && (bits & 0xFF) != 0) || (pad == 2 && (bits & 0xFFFF) != 0)) return std::nullopt;
    out.push_back(static_cast<char>(bits >> 16));
    if (pad < 2) out.push_back(static_cast<char>(bits >> 8 & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(bits & 0xFF));
  }
  return out;
}

CharsMap CharsMap::Parse(std::string_view blob) {
  if (blob.size() < 4) {
    throw InvalidInput("got " + std::to_string(blob.size()) + " bytes, expected at least the 4-byte trie size");
  }
  auto u32_at = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<std::uint8_t>(blob[at])) |
           static_cast<std::uint32_t>(static_cast<std::uint8_t>(blob[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<std::uint8_t>(blob[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<std::uint8_t>(blob[at + 3])) << 24;
  };
  const std::uint32_t trie_bytes = u32_at(0);
  const std::size_t unit_count = trie_bytes / 4;  // as spm_precompiled: a remainder stays in the string part
  if (unit_count > (blob.size() - 4) / 4) {
    throw InvalidInput("trie size " + std::to_string(trie_bytes) + " bytes is more than the " +
                       std::to_string(blob.size() - 4) + " bytes that follow it");
  }
  if (unit_count == 0) throw InvalidInput("got an empty trie, expected at least its root unit");
  CharsMap map;
  map.units_.resize(unit_count);
  for (std::size_t i = 0; i < unit_count; ++i) map.units_[i] = u32_at(4 + 4 * i);
  map.replacements_.assign(blob.substr(4 + 4 * unit_count));
  if (const auto bad = utf8::FirstInvalid(map.replacements_)) {
    throw InvalidInput("the replacement strings are not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  }
  // Walk every path a UTF-8 key of up to kMaxKeyBytes bytes can take, breadth first, each (node, UTF-8
  // state) once: Hugging Face indexes the array without bounds checks, so a bad offset would crash it.
  const std::vector<std::uint32_t>& units = map.units_;
  const std::size_t n = units.size();
  struct Node {
    std::uint64_t pos;
    Utf8State state;
    int depth;
  };
  std::vector<Node> queue{{Offset(units[0]), kStart, 0}};
  std::unordered_set<std::uint64_t> seen{queue[0].pos << 4 | kStart};
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const Node node = queue[q];
    for (int b = 1; b < 256; ++b) {
      const Utf8State next_state = NextState(node.state, static_cast<std::uint8_t>(b));
      if (next_state == kInvalid) continue;
      const std::uint64_t at = node.pos ^ static_cast<std::uint64_t>(b);
      if (at >= n) {
        throw InvalidInput("trie unit " + std::to_string(node.pos) + " leads with byte " +
                           Hex(static_cast<std::uint64_t>(b)) + " to unit " + std::to_string(at) + ", past the " +
                           std::to_string(n) + " units");
      }
      const std::uint32_t unit = units[at];
      if (Label(unit) != static_cast<std::uint32_t>(b)) continue;
      const std::uint64_t child = at ^ Offset(unit);
      if (HasLeaf(unit)) {
        if (child >= n) {
          throw InvalidInput("trie unit " + std::to_string(at) + " has its value at unit " + std::to_string(child) +
                             ", past the " + std::to_string(n) + " units");
        }
        const std::uint32_t value = Value(units[child]);
        if (value > map.replacements_.size() ||
            (value < map.replacements_.size() &&
             utf8::IsContinuationByte(map.replacements_[value]))) {
          throw InvalidInput("trie value " + std::to_string(value) + " is not the start of a character in the " +
                             std::to_string(map.replacements_.size()) + " bytes of replacement strings");
        }
      }
      if (node.depth + 1 < kMaxKeyBytes && seen.insert(child << 4 | next_state).second) {
        queue.push_back({child, next_state, node.depth + 1});
      }
    }
  }
  return map;
}

std::optional<std::string_view> CharsMap::Lookup(std::string_view key) const {
  const std::size_t n = units_.size();
  std::uint64_t pos = Offset(units_[0]);
  for (char ch : key) {
    const auto b = static_cast<std::uint8_t>(ch);
    if (b == 0) break;
    pos ^= b;
    if (pos >= n) return std::nullopt;  // validated at load; kept as a guard
    const std::uint32_t unit = units_[pos];
    if (Label(unit) != b) return std::nullopt;
    pos ^= Offset(unit);
    if (HasLeaf(unit)) {
      if (pos >= n) return std::nullopt;
      const std::size_t begin = std::min<std::size_t>(Value(units_[pos]), replacements_.size());
      std::size_t end = replacements_.find('\0', begin);
      if (end == std::string::npos) end = replacements_.size();
      return std::string_view(replacements_).substr(begin, end - begin);
    }
  }
  return std::nullopt;
}

bool GraphemeBreak(char32_t a, char32_t b, std::int32_t& state) {
  if (a < 0x300 && b < 0x300) {
    state = 0;
    return !(a == '\r' && b == '\n');
  }
  const bool brk =
      utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(a), static_cast<utf8proc_int32_t>(b), &state);
  // Characters whose cluster-continuing class differs in the reference's Unicode version (generated).
  if (InRanges(HfTokenizersOverrides().grapheme_extend_flip, b) && a != '\r' && a != '\n' &&
      utf8proc_category(static_cast<utf8proc_int32_t>(a)) != UTF8PROC_CATEGORY_CC) {
    return !brk;
  }
  return brk;
}

void Precompiled::Normalize(AlignedChars& chars, NormalizerScratch& scratch) const {
  std::vector<CharChange>& changes = scratch.changes;
  std::string& key = scratch.bytes;
  changes.clear();
  bool modified = false;
  std::int32_t state = 0;
  for (std::size_t i = 0; i < chars.size();) {
    // The extended grapheme cluster [i, j).
    std::size_t j = i + 1;
    while (j < chars.size() && !GraphemeBreak(chars[j - 1].cp, chars[j].cp, state)) ++j;
    key.clear();
    for (std::size_t k = i; k < j && key.size() < 6; ++k) utf8::Append(chars[k].cp, key);
    if (key.size() < 6) {
      if (const auto replacement = map_.Lookup(key)) {
        modified = true;
        AppendReplacement(changes, j - i, *replacement);
        i = j;
        continue;
      }
      if (j - i == 1) {  // the character alone is the same key
        changes.push_back({chars[i].cp, 0});
        i = j;
        continue;
      }
    }
    for (std::size_t k = i; k < j; ++k) {
      key.clear();
      utf8::Append(chars[k].cp, key);
      if (const auto replacement = map_.Lookup(key)) {
        modified = true;
        AppendReplacement(changes, 1, *replacement);
      } else {
        changes.push_back({chars[k].cp, 0});
      }
    }
    i = j;
  }
  if (modified) ApplyChanges(chars, changes, 0, scratch.tmp);
}

}  // namespace fastintent::text::detail
