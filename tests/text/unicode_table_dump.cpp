// Prints what our character classes and mappings give for every Unicode scalar value, one line per code
// point and flavor, in the format of tools/tokenizer/probe_unicode.py, which compares it with the references:
//   <cp hex> <flavor hf|slow> <clean C|W|-> <punct P|-> <cjk J|-> <nfd> <strip> <lower> <nfkd> <ccc S|-> <mark M|->
//   <word W|-> <grapheme E|->
// Mappings are space-free lists of hex code points joined by '+', or '_' when empty. The last three fields are
// Hugging Face's NFKD / NFD / StripAccents normalizers and single_word test ("=" for the slow flavor).
#include <cstdio>
#include <string>
#include <vector>

#include "../../src/text/normalizers/bert_normalizer.h"
#include "../../src/text/normalizers/character_normalizers.h"
#include "../../src/text/normalizers/precompiled.h"
#include "../../src/text/normalizers/unicode_forms.h"

namespace detail = fastintent::text::detail;

namespace {

std::string Hex(const std::u32string& s) {
  if (s.empty()) return "_";
  std::string out;
  char buf[16];
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::snprintf(buf, sizeof buf, i == 0 ? "%X" : "+%X", static_cast<unsigned>(s[i]));
    out += buf;
  }
  return out;
}

std::u32string Chars(const std::vector<fastintent::utf8::DecodedChar>& chars) {
  std::u32string s;
  for (const auto& c : chars) s.push_back(c.cp);
  return s;
}

}  // namespace

// Hugging Face's NFKD of the character; whether its NFD moves in front of U+0345 (combining class 240);
// whether StripAccents removes it.
std::string HfFormFields(char32_t cp, detail::NormalizerScratch& scratch) {
  static const detail::UnicodeNormalizer nfkd(detail::UnicodeForm::kNfkd);
  static const detail::UnicodeNormalizer nfd(detail::UnicodeForm::kNfd);
  std::vector<fastintent::utf8::DecodedChar> chars{{cp, 0, 1}};
  nfkd.Normalize(chars, scratch);
  const std::string nfkd_hex = Hex(Chars(chars));
  chars.assign(1, {cp, 0, 1});
  nfd.Normalize(chars, scratch);
  std::u32string expected = U"\u0345" + Chars(chars);
  chars.assign({{0x345, 0, 1}, {cp, 1, 2}});
  nfd.Normalize(chars, scratch);
  const bool moved = Chars(chars) != expected;
  std::int32_t state = 0;
  const bool extends = !detail::GraphemeBreak('q', cp, state);
  return nfkd_hex + (moved ? " S" : " -") + (detail::IsHfCombiningMark(cp) ? " M" : " -") +
         (detail::IsRegexWordChar(cp) ? " W" : " -") + (extends ? " E" : " -");
}

int main() {
  detail::NormalizerScratch scratch;
  std::vector<fastintent::utf8::DecodedChar> chars;
  std::string line;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    for (detail::Flavor flavor : {detail::Flavor::kHfTokenizers, detail::Flavor::kTransformersSlow}) {
      const char clean = (cp == 0 || cp == 0xFFFD || detail::IsControl(cp, flavor)) ? 'C'
                         : detail::IsWhitespace(cp, flavor)                         ? 'W'
                                                                                    : '-';
      std::u32string nfd;
      detail::AppendCanonicalDecomposition(cp, nfd, flavor);
      chars.assign(1, {cp, 0, 1});
      detail::StripAccents(chars, scratch, flavor);
      const std::u32string strip = Chars(chars);
      chars.assign(1, {cp, 0, 1});
      detail::LowercaseChars(chars, scratch, flavor);
      const std::u32string lower = Chars(chars);
      const std::string forms = flavor == detail::Flavor::kHfTokenizers ? HfFormFields(cp, scratch) : "= = = = =";
      std::printf("%X %s %c %c %c %s %s %s %s\n", static_cast<unsigned>(cp),
                  flavor == detail::Flavor::kHfTokenizers ? "hf" : "slow", clean,
                  detail::IsPunctuation(cp, flavor) ? 'P' : '-', detail::IsCjk(cp, flavor) ? 'J' : '-',
                  Hex(nfd).c_str(), Hex(strip).c_str(), Hex(lower).c_str(), forms.c_str());
    }
  }
  return 0;
}
