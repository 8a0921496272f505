#pragma once
// Which vocabulary pieces belong to a set of scripts (internal to fastintent_vocab).
#include <string>
#include <string_view>
#include <vector>

namespace fastintent::vocab::detail {

class ScriptFilter {
 public:
  // Throws InvalidInput for a name other than "cyrillic", "latin", "greek".
  explicit ScriptFilter(const std::vector<std::string>& scripts);

  // True when every character of `piece` (after a leading "▁" or "##") is a letter of one of the scripts, a
  // digit, ASCII punctuation or symbol, general punctuation, a currency sign or the word-boundary mark "▁".
  // An empty filter (no scripts) accepts nothing.
  bool Accepts(std::string_view piece) const;

 private:
  bool cyrillic_ = false, latin_ = false, greek_ = false;
};

}  // namespace fastintent::vocab::detail
