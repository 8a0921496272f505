#include "normalizers/unicode_forms.h"

#include <utf8proc.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "unicode_classes.h"
#include "unicode_overrides.h"

namespace fastintent::text::detail {
namespace {

// Hangul syllables compose algorithmically (Unicode 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kSCount = kLCount * kVCount * kTCount;

std::u32string NfcOf(std::u32string text) {
  std::basic_string<utf8proc_int32_t> buffer(text.begin(), text.end());
  const utf8proc_ssize_t n = utf8proc_normalize_utf32(buffer.data(), static_cast<utf8proc_ssize_t>(buffer.size()),
                                                      static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE));
  return std::u32string(buffer.begin(), buffer.begin() + (n < 0 ? 0 : n));
}

// Primary composites as pairs (first, second) -> composite, from utf8proc's data, minus the composites the
// reference does not know (its NFD leaves them whole: they cannot be composed either).
const std::unordered_map<std::uint64_t, char32_t>& CompositionPairs() {
  static const std::unordered_map<std::uint64_t, char32_t> pairs = [] {
    std::unordered_map<std::uint64_t, char32_t> map;
    std::u32string full;
    for (char32_t cp = 0xC0; cp <= 0x10FFFF; ++cp) {
      if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp >= kSBase && cp < kSBase + kSCount)) continue;
      const utf8proc_property_t* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
      if (p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0) continue;  // no canonical mapping
      full.clear();
      AppendCanonicalDecomposition(cp, full, Flavor::kHfTokenizers);
      if (full.size() < 2) continue;
      if (NfcOf(full) != std::u32string(1, cp)) continue;  // excluded from composition
      const std::u32string first = NfcOf(full.substr(0, full.size() - 1));
      if (first.size() != 1) continue;
      map.emplace(static_cast<std::uint64_t>(first[0]) << 32 | full.back(), cp);
    }
    return map;
  }();
  return pairs;
}

std::optional<char32_t> Compose(char32_t a, char32_t b) {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount) {
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  }
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount) {
    return a + (b - kTBase);
  }
  const auto& pairs = CompositionPairs();
  const auto it = pairs.find(static_cast<std::uint64_t>(a) << 32 | b);
  return it == pairs.end() ? std::nullopt : std::optional<char32_t>(it->second);
}

struct Decomposed {
  char32_t cp;
  std::int32_t change;
  int ccc;
};

// The decomposition iterator: each character's mapping (first character takes its place, the others are
// inserted), then every run of non-starters stably sorted by combining class, marks moving with them.
void Decompose(const AlignedChars& chars, bool compatibility, std::vector<Decomposed>& out, std::u32string& mapped) {
  out.clear();
  std::size_t run = 0;  // start of the current run of non-starters
  auto close_run = [&] {
    if (out.size() - run > 1) {
      std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(run), out.end(),
                       [](const Decomposed& a, const Decomposed& b) { return a.ccc < b.ccc; });
    }
  };
  for (const utf8::DecodedChar& c : chars) {
    mapped.clear();
    if (compatibility) {
      AppendHfCompatibilityDecomposition(c.cp, mapped);
    } else {
      AppendCanonicalDecomposition(c.cp, mapped, Flavor::kHfTokenizers);
    }
    for (std::size_t k = 0; k < mapped.size(); ++k) {
      const int ccc = HfCombiningClass(mapped[k]);
      if (ccc == 0) {
        close_run();
        run = out.size() + 1;
      }
      out.push_back({mapped[k], k == 0 ? 0 : 1, ccc});
    }
  }
  close_run();
}

// The recomposition iterator over the decomposed stream.
void Recompose(const std::vector<Decomposed>& in, std::vector<CharChange>& out) {
  out.clear();
  std::optional<CharChange> composee;
  std::vector<CharChange> blocked;  // non-starters kept between the composee and what follows
  std::optional<int> last_ccc;
  auto flush = [&] {
    for (const CharChange& b : blocked) out.push_back(b);
    blocked.clear();
  };
  for (const Decomposed& d : in) {
    const CharChange ch{d.cp, d.change};
    if (!composee) {
      if (d.ccc != 0) {
        out.push_back(ch);
      } else {
        composee = ch;
      }
      continue;
    }
    if (last_ccc && *last_ccc >= d.ccc) {  // blocked from the composee
      if (d.ccc == 0) {
        out.push_back(*composee);
        flush();
        composee = ch;
        last_ccc.reset();
      } else {
        blocked.push_back(ch);
        last_ccc = d.ccc;
      }
      continue;
    }
    if (const auto r = Compose(composee->cp, d.cp)) {
      composee = CharChange{*r, composee->change + d.change - 1};
      continue;
    }
    if (!last_ccc && d.ccc == 0) {
      out.push_back(*composee);
      composee = ch;
      continue;
    }
    blocked.push_back(ch);
    last_ccc = d.ccc;
  }
  if (composee) out.push_back(*composee);
  flush();
}

thread_local std::vector<Decomposed> t_decomposed;

}  // namespace

int HfCombiningClass(char32_t cp) {
  if (cp < 0x300) return 0;
  if (InRanges(HfTokenizersOverrides().combining_class_zero, cp)) return 0;
  return CombiningClass(cp);
}

void AppendHfCompatibilityDecomposition(char32_t cp, std::u32string& out) {
  if (cp < 0xA0) {
    out.push_back(cp);
    return;
  }
  if (const CodeMapping* m = FindMapping(HfTokenizersOverrides().compat_decomposition, cp)) {
    for (char32_t c : m->to) {
      if (c == 0) break;
      out.push_back(c);
    }
    return;
  }
  utf8proc_int32_t buffer[32];
  int last_boundclass = 0;
  const utf8proc_ssize_t n =
      utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buffer, 32,
                              static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT), &last_boundclass);
  if (n <= 0 || n > 32) {
    out.push_back(cp);
    return;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) out.push_back(static_cast<char32_t>(buffer[i]));
}

void UnicodeNormalizer::Normalize(AlignedChars& chars, NormalizerScratch& scratch) const {
  const bool compatibility = form_ == UnicodeForm::kNfkd || form_ == UnicodeForm::kNfkc;
  const bool compose = form_ == UnicodeForm::kNfc || form_ == UnicodeForm::kNfkc;
  // Below these code points nothing decomposes (and so nothing changes); most ASCII text stops here.
  const char32_t stable_below = compatibility ? 0xA0 : (compose ? 0x300 : 0xC0);
  if (std::all_of(chars.begin(), chars.end(), [&](const utf8::DecodedChar& c) { return c.cp < stable_below; })) return;
  std::vector<Decomposed>& decomposed = t_decomposed;
  Decompose(chars, compatibility, decomposed, scratch.mapped);
  if (compose) {
    Recompose(decomposed, scratch.changes);
  } else {
    scratch.changes.clear();
    for (const Decomposed& d : decomposed) scratch.changes.push_back({d.cp, d.change});
  }
  ApplyChanges(chars, scratch.changes, 0, scratch.tmp);
}

}  // namespace fastintent::text::detail
