#include "script_filter.h"

#include "fastintent/common/error.h"
#include "fastintent/common/utf8.h"

namespace fastintent::vocab::detail {
namespace {

constexpr char32_t kMetaspace = 0x2581;  // "▁", SentencePiece's word-boundary mark

bool InRange(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

// Allowed whatever the scripts: ASCII digits, punctuation and symbols, Latin-1 punctuation and symbols,
// general punctuation, superscripts and currency signs, the word-boundary mark.
bool IsCommon(char32_t c) {
  if (InRange(c, 0x21, 0x40) || InRange(c, 0x5B, 0x60) || InRange(c, 0x7B, 0x7E)) return true;
  if (InRange(c, 0xA1, 0xBF) || c == 0xD7 || c == 0xF7) return true;
  return InRange(c, 0x2010, 0x205E) || InRange(c, 0x2070, 0x20CF) || c == 0x2116 || c == kMetaspace;
}

bool IsCyrillic(char32_t c) {
  return InRange(c, 0x0400, 0x052F) || InRange(c, 0x1C80, 0x1C8F) || InRange(c, 0x2DE0, 0x2DFF) ||
         InRange(c, 0xA640, 0xA69F);
}

bool IsLatin(char32_t c) {
  return InRange(c, 'A', 'Z') || InRange(c, 'a', 'z') || (InRange(c, 0xC0, 0x24F) && c != 0xD7 && c != 0xF7) ||
         InRange(c, 0x1E00, 0x1EFF);
}

bool IsGreek(char32_t c) { return InRange(c, 0x0370, 0x03FF) || InRange(c, 0x1F00, 0x1FFF); }

}  // namespace

ScriptFilter::ScriptFilter(const std::vector<std::string>& scripts) {
  for (const std::string& script : scripts) {
    if (script == "cyrillic") {
      cyrillic_ = true;
    } else if (script == "latin") {
      latin_ = true;
    } else if (script == "greek") {
      greek_ = true;
    } else {
      throw InvalidInput("--scripts: got \"" + script + "\", expected cyrillic, latin or greek");
    }
  }
}

bool ScriptFilter::Accepts(std::string_view piece) const {
  if (!cyrillic_ && !latin_ && !greek_) return false;
  if (piece.substr(0, 2) == "##") piece.remove_prefix(2);
  for (const char32_t c : utf8::DecodeLossy(piece)) {
    const bool ok = IsCommon(c) || (cyrillic_ && IsCyrillic(c)) || (latin_ && IsLatin(c)) || (greek_ && IsGreek(c));
    if (!ok) return false;
  }
  return true;
}

}  // namespace fastintent::vocab::detail
