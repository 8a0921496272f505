#include "normalizers/pattern.h"

#include <algorithm>
#include <cctype>

#include "fastintent/common/error.h"
#include "unicode_classes.h"

namespace fastintent::text::detail {
namespace {

bool IsSpace(char32_t c) { return IsWhitespace(c, Flavor::kHfTokenizers); }

class RegexParser {
 public:
  explicit RegexParser(std::string_view pattern) : pattern_(pattern), text_(utf8::DecodeLossy(pattern)) {}

  [[noreturn]] void Fail(const std::string& what) const {
    throw InvalidInput("regex '" + std::string(pattern_) + "': " + what +
                       " (supported: characters, '.', \\s, \\S, [classes] with ranges, and the greedy quantifiers "
                       "* + ? {n} {n,} {n,m})");
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char32_t Peek() const { return text_[pos_]; }
  char32_t Next() { return text_[pos_++]; }

  // An escape after the backslash: a literal character, or \s / \S (returned through the flags).
  char32_t Escape(bool* space, bool* non_space) {
    if (AtEnd()) Fail("ends with a backslash");
    const char32_t c = Next();
    switch (c) {
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'a':
        return 0x07;
      case 'e':
        return 0x1B;
      case 's':
      case 'S':
        if (space == nullptr) Fail("\\s cannot be a range end");
        (c == 's' ? *space : *non_space) = true;
        return 0;
      case 'u': {
        char32_t v = 0;
        for (int k = 0; k < 4; ++k) {
          if (AtEnd() || !std::isxdigit(static_cast<int>(Peek() < 0x80 ? Peek() : 'g'))) Fail("\\u needs 4 hex digits");
          const char32_t h = Next();
          v = v * 16 + static_cast<char32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        if (v >= 0xD800 && v <= 0xDFFF) Fail("\\u escapes a surrogate");
        return v;
      }
      default:
        if (c < 0x80 && std::isalnum(static_cast<int>(c))) {
          Fail("escape \\" + std::string(1, static_cast<char>(c)) + " is not supported");
        }
        return c;  // an escaped punctuation or non-ASCII character stands for itself
    }
  }

  std::uint32_t Number() {
    std::uint64_t v = 0;
    bool any = false;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
      v = v * 10 + (Next() - '0');
      if (v > 100000) Fail("a repetition count above 100000");
      any = true;
    }
    return any ? static_cast<std::uint32_t>(v) : kNoNumber;
  }
  static constexpr std::uint32_t kNoNumber = 0xFFFFFFFFu;

 private:
  std::string_view pattern_;
  std::u32string text_;
  std::size_t pos_ = 0;
};

}  // namespace

bool Pattern::Atom::Matches(char32_t c) const {
  switch (kind) {
    case Kind::kChar:
      return c == cp;
    case Kind::kAny:
      return c != '\n';
    case Kind::kClass: {
      bool in = (space && IsSpace(c)) || (non_space && !IsSpace(c));
      for (const auto& [lo, hi] : ranges) in = in || (c >= lo && c <= hi);
      return in != negated;
    }
  }
  return false;
}

Pattern Pattern::Literal(std::string_view text) {
  if (text.empty()) throw InvalidInput("an empty string pattern matches everywhere and is not supported");
  Pattern p;
  for (char32_t c : utf8::DecodeLossy(text))
    p.items_.push_back({Atom{Atom::Kind::kChar, c, false, false, false, {}}, 1, 1});
  if (p.items_.size() > kMaxLiteral) {
    throw InvalidInput("a string pattern of " + std::to_string(p.items_.size()) + " characters, expected at most " +
                       std::to_string(kMaxLiteral));
  }
  p.literal_ = true;
  return p;
}

Pattern Pattern::Regex(std::string_view pattern) {
  RegexParser in(pattern);
  Pattern p;
  while (!in.AtEnd()) {
    Atom atom;
    const char32_t c = in.Next();
    switch (c) {
      case '.':
        atom.kind = Atom::Kind::kAny;
        break;
      case '\\':
        atom.cp = in.Escape(&atom.space, &atom.non_space);
        if (atom.space || atom.non_space) atom.kind = Atom::Kind::kClass;
        break;
      case '[': {
        atom.kind = Atom::Kind::kClass;
        if (!in.AtEnd() && in.Peek() == '^') {
          in.Next();
          atom.negated = true;
        }
        bool first = true;
        while (true) {
          if (in.AtEnd()) in.Fail("unterminated [class]");
          char32_t lo = in.Next();
          if (lo == ']' && !first) break;
          first = false;
          if (lo == '[') in.Fail("nested classes and [:posix:] names are not supported");
          if (lo == '&' && !in.AtEnd() && in.Peek() == '&') in.Fail("class intersection && is not supported");
          if (lo == '\\') {
            bool space = false;
            bool non_space = false;
            lo = in.Escape(&space, &non_space);
            if (space || non_space) {
              atom.space = atom.space || space;
              atom.non_space = atom.non_space || non_space;
              continue;
            }
          }
          char32_t hi = lo;
          if (!in.AtEnd() && in.Peek() == '-') {
            in.Next();
            if (in.AtEnd()) in.Fail("unterminated [class]");
            if (in.Peek() == ']') {  // a '-' before ']' is literal
              atom.ranges.emplace_back('-', '-');
            } else {
              hi = in.Next();
              if (hi == '[') in.Fail("nested classes are not supported");
              if (hi == '\\') hi = in.Escape(nullptr, nullptr);
              if (hi < lo) in.Fail("a class range goes backwards");
            }
          }
          atom.ranges.emplace_back(lo, hi);
        }
        break;
      }
      case '(':
      case ')':
      case '|':
      case '^':
      case '$':
        in.Fail(std::string("'") + static_cast<char>(c) + "' (groups, alternation and anchors) is not supported");
      case '*':
      case '+':
      case '?':
      case '{':
        in.Fail("a quantifier with nothing to repeat");
      default:
        atom.cp = c;
    }
    Item item{atom, 1, 1};
    if (!in.AtEnd()) {
      const char32_t q = in.Peek();
      if (q == '*' || q == '+' || q == '?') {
        in.Next();
        item.min = q == '+' ? 1 : 0;
        item.max = q == '?' ? 1 : kUnbounded;
      } else if (q == '{') {
        in.Next();
        const std::uint32_t lo = in.Number();
        std::uint32_t hi = lo;
        if (!in.AtEnd() && in.Peek() == ',') {
          in.Next();
          hi = in.Number();
          if (hi == RegexParser::kNoNumber) hi = kUnbounded;
        }
        if (in.AtEnd() || in.Next() != '}' || (lo == RegexParser::kNoNumber && hi == kUnbounded)) {
          in.Fail("a '{' that is not a {n}, {n,} or {n,m} quantifier");
        }
        item.min = lo == RegexParser::kNoNumber ? 0 : lo;
        item.max = hi;
        if (item.max < item.min) in.Fail("a {n,m} quantifier with m < n");
      }
      if (!in.AtEnd() && (in.Peek() == '*' || in.Peek() == '+' || in.Peek() == '?' || in.Peek() == '{')) {
        in.Fail("lazy, possessive and repeated quantifiers are not supported");
      }
    }
    p.items_.push_back(std::move(item));
    if (p.items_.size() > kMaxRegexItems) in.Fail("more than " + std::to_string(kMaxRegexItems) + " items");
  }
  if (std::all_of(p.items_.begin(), p.items_.end(), [](const Item& i) { return i.min == 0; })) {
    in.Fail("it can match the empty string");
  }
  return p;
}

bool Pattern::MatchFrom(const AlignedChars& text, std::size_t item, std::size_t pos, std::vector<std::uint64_t>& failed,
                        std::size_t& end) const {
  if (item == items_.size()) {
    end = pos;
    return true;
  }
  // Whether items [item, ...) can match from pos does not depend on where the match began, so a failure
  // is remembered for every later start: at most items x positions evaluations in all.
  const std::size_t key = item * (text.size() + 1) + pos;
  if (failed[key / 64] >> (key % 64) & 1) return false;
  const Item& it = items_[item];
  std::size_t count = 0;
  while (count < it.max && pos + count < text.size() && it.atom.Matches(text[pos + count].cp)) ++count;
  if (count >= it.min) {
    for (std::size_t k = count + 1; k-- > it.min;) {  // greedy: the most repetitions first
      if (MatchFrom(text, item + 1, pos + k, failed, end)) return true;
    }
  }
  failed[key / 64] |= std::uint64_t{1} << (key % 64);
  return false;
}

void Pattern::FindAll(const AlignedChars& text, std::vector<std::pair<std::size_t, std::size_t>>& out) const {
  if (items_.size() == 1) {
    // One quantified atom (" {2,}", "\\s+"): the greedy match at a start is its whole run, capped at max.
    const Item& it = items_[0];
    for (std::size_t start = 0; start < text.size();) {
      std::size_t count = 0;
      while (count < it.max && start + count < text.size() && it.atom.Matches(text[start + count].cp)) ++count;
      if (count >= it.min) {
        out.emplace_back(start, start + count);
        start += count;
      } else {
        start += count + 1;  // a later start inside this run has a shorter run
      }
    }
    return;
  }
  if (literal_) {
    const std::size_t m = items_.size();
    for (std::size_t start = 0; start + m <= text.size();) {
      std::size_t k = 0;
      while (k < m && text[start + k].cp == items_[k].atom.cp) ++k;
      if (k == m) {
        out.emplace_back(start, start + m);
        start += m;
      } else {
        ++start;
      }
    }
    return;
  }
  thread_local std::vector<std::uint64_t> failed;
  failed.assign((items_.size() * (text.size() + 1) + 63) / 64, 0);
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = 0;
    if (MatchFrom(text, 0, start, failed, end) && end > start) {
      out.emplace_back(start, end);
      start = end;
    } else {
      ++start;
    }
  }
}

Replace::Replace(Pattern pattern, std::string_view content)
    : pattern_(std::move(pattern)), content_(utf8::DecodeLossy(content)) {}

void Replace::Normalize(AlignedChars& chars, NormalizerScratch& scratch) const {
  thread_local std::vector<std::pair<std::size_t, std::size_t>> matches;
  matches.clear();
  pattern_.FindAll(chars, matches);
  if (matches.empty()) return;
  AlignedChars& out = scratch.tmp;
  out.clear();
  std::size_t pos = 0;
  for (const auto& [begin, end] : matches) {
    out.insert(out.end(), chars.begin() + static_cast<std::ptrdiff_t>(pos),
               chars.begin() + static_cast<std::ptrdiff_t>(begin));
    const utf8::DecodedChar& last = chars[end - 1];
    for (char32_t c : content_) out.push_back({c, last.begin, last.end});
    pos = end;
  }
  out.insert(out.end(), chars.begin() + static_cast<std::ptrdiff_t>(pos), chars.end());
  chars.swap(out);
}

}  // namespace fastintent::text::detail
