#include "fastintent/text/layout_normalizer.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fastintent/common/error.h"
#include "fastintent/common/utf8.h"

namespace fastintent::text {
namespace {

constexpr char32_t kSpacePiece = 0x2581;  // '▁', SentencePiece's word boundary
constexpr const char* kFileType = "ru_layout_translit";

// Character classes, ASCII rules only, as tools/text/layout_normalizer.py states them.
bool IsLatin(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsCyrillic(char32_t c) { return c >= 0x0400 && c <= 0x04FF; }
bool IsWord(char32_t c) { return IsLatin(c) || (c >= '0' && c <= '9') || c == '_' || c >= 0x80; }
bool IsLayoutKey(char32_t c) { return std::u32string_view(U"[];',.`{}:\"<>~").find(c) != std::u32string_view::npos; }
bool IsPostChar(char32_t c) { return std::u32string_view(U"!?)(-").find(c) != std::u32string_view::npos; }
bool IsAsciiPunctuation(char32_t c) { return c < 0x80 && !IsWord(c); }
bool IsLowerLatin(char32_t c) { return c >= 'a' && c <= 'z'; }
bool IsTranslitChar(char32_t c) { return IsLowerLatin(c) || c == '\''; }

char32_t AsciiLower(char32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
char32_t CyrillicLower(char32_t c) {
  if (c >= 0x0410 && c <= 0x042F) return c + 32;
  if (c == 0x0401) return 0x0451;
  return AsciiLower(c);
}

struct Scored {
  double score = 0.0;
  std::u32string text;
};

}  // namespace

struct LayoutNormalizer::Tables {
  std::unordered_map<char32_t, char32_t> layout;
  std::unordered_map<std::u32string, double> latin;
  std::unordered_map<std::u32string, double> cyrillic;
  std::unordered_map<std::u32string, std::pair<double, std::u32string>> translit;  // spelling -> (score, piece)
  std::size_t max_piece = 24;
  double margin_layout = 0.0;
  double margin_translit = 0.0;
  double unk = 0.0;

  // The best segmentation of '▁' + word into pieces of `table` (a character no piece covers costs unk; the first
  // best path found wins ties): its score and the pieces' outputs (output_of(entry) = {score, output}; an uncovered
  // character outputs itself) joined without '▁'.
  template <typename Table, typename OutputOf>
  Scored Viterbi(std::u32string_view word, const Table& table, OutputOf output_of) const {
    std::u32string s;
    s.reserve(word.size() + 1);
    s.push_back(kSpacePiece);
    s.append(word);
    const std::size_t n = s.size();
    std::vector<std::optional<double>> best(n + 1);
    std::vector<std::pair<std::size_t, std::u32string>> back(n + 1);
    best[0] = 0.0;
    std::u32string key;
    for (std::size_t i = 0; i < n; ++i) {
      if (!best[i]) continue;
      for (std::size_t j = i + 1; j <= std::min(n, i + max_piece); ++j) {
        key.assign(s, i, j - i);
        const auto it = table.find(key);
        if (it == table.end()) continue;
        const auto [score, out] = output_of(*it);
        if (!best[j] || *best[i] + score > *best[j]) {
          best[j] = *best[i] + score;
          back[j] = {i, out};
        }
      }
      if (!best[i + 1] || *best[i] + unk > *best[i + 1]) {
        best[i + 1] = *best[i] + unk;
        back[i + 1] = {i, std::u32string(1, s[i])};
      }
    }
    std::vector<const std::u32string*> pieces;
    for (std::size_t j = n; j > 0; j = back[j].first) pieces.push_back(&back[j].second);
    Scored result{*best[n], {}};
    for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) {
      for (const char32_t c : **it) {
        if (c != kSpacePiece) result.text.push_back(c);
      }
    }
    return result;
  }

  double LatinScore(std::u32string_view word) const {
    return Viterbi(word, latin,
                   [](const auto& entry) {
                     return std::pair<double, std::u32string>{entry.second, {}};
                   })
        .score;
  }

  Scored LayoutReading(std::u32string_view core) const {
    std::u32string mapped;
    for (const char32_t c : core) {
      const auto it = layout.find(c);
      mapped.push_back(CyrillicLower(it == layout.end() ? c : it->second));
    }
    const double score = Viterbi(mapped, cyrillic, [](const auto& entry) {
                           return std::pair<double, std::u32string>{entry.second, {}};
                         }).score;
    return {score, std::move(mapped)};
  }

  Scored TranslitReading(std::u32string_view part) const {
    return Viterbi(part, translit, [](const auto& entry) { return entry.second; });
  }

  struct TokenReadings {
    double keep = 0.0, layout = 0.0, translit = 0.0;
    std::u32string layout_text, translit_text;
  };

  TokenReadings Readings(const std::u32string& token) const {
    std::size_t a = 0;
    while (a < token.size() && !IsWord(token[a]) && !IsLayoutKey(token[a])) ++a;
    std::size_t b = token.size();
    while (b > a && IsPostChar(token[b - 1])) --b;
    const std::u32string_view pre(token.data(), a);
    const std::u32string_view core(token.data() + a, b - a);
    const std::u32string_view post(token.data() + b, token.size() - b);
    std::u32string low;
    for (const char32_t c : core) low.push_back(AsciiLower(c));

    TokenReadings r;
    for (std::size_t i = 0; i < low.size();) {  // keep: every [a-z]+ run as Latin
      if (!IsLowerLatin(low[i])) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < low.size() && IsLowerLatin(low[j])) ++j;
      r.keep += LatinScore(std::u32string_view(low).substr(i, j - i));
      i = j;
    }

    Scored layout_reading = LayoutReading(core);  // layout: a trailing [,.]+ may be punctuation; take the better
    std::size_t tail = core.size();
    while (tail > 0 && (core[tail - 1] == ',' || core[tail - 1] == '.')) --tail;
    if (tail < core.size() && tail > 0) {
      Scored shorter = LayoutReading(core.substr(0, tail));
      if (shorter.score > layout_reading.score) {
        shorter.text.append(core.substr(tail));
        layout_reading = std::move(shorter);
      }
    }
    r.layout = layout_reading.score;
    r.layout_text.append(pre).append(layout_reading.text).append(post);

    r.translit_text.append(pre);  // translit: every [a-z']+ part by the index, the rest as it is
    for (std::size_t i = 0; i < low.size();) {
      std::size_t j = i;
      const bool is_part = IsTranslitChar(low[i]);
      while (j < low.size() && IsTranslitChar(low[j]) == is_part) ++j;
      const std::u32string_view part = std::u32string_view(low).substr(i, j - i);
      if (is_part) {
        const Scored reading = TranslitReading(part);
        r.translit += reading.score;
        r.translit_text.append(reading.text);
      } else {
        r.translit_text.append(part);
      }
      i = j;
    }
    r.translit_text.append(post);
    return r;
  }
};

LayoutNormalizer::LayoutNormalizer(std::unique_ptr<Tables> tables) : tables_(std::move(tables)) {}
LayoutNormalizer::LayoutNormalizer(LayoutNormalizer&&) noexcept = default;
LayoutNormalizer& LayoutNormalizer::operator=(LayoutNormalizer&&) noexcept = default;
LayoutNormalizer::~LayoutNormalizer() = default;

namespace {

std::u32string Chars(const nlohmann::json& value, const std::string& where) {
  if (!value.is_string()) throw InvalidInput(where + ": expected a string, got " + std::string(value.type_name()));
  const auto& bytes = value.get_ref<const std::string&>();
  if (!utf8::IsValid(bytes)) throw InvalidInput(where + ": not valid UTF-8");
  return utf8::DecodeLossy(bytes);
}

const nlohmann::json& Field(const nlohmann::json& object, const char* name, const std::string& file) {
  if (!object.is_object() || !object.contains(name)) throw InvalidInput(file + ": no field '" + name + "'");
  return object.at(name);
}

double Number(const nlohmann::json& object, const char* name, const std::string& file) {
  const auto& value = Field(object, name, file);
  if (!value.is_number()) throw InvalidInput(file + ": field '" + name + "' must be a number");
  return value.get<double>();
}

// [[piece, score], ...] into `table`; also returns the pieces in file order (the translit index is built in it).
std::vector<std::pair<std::u32string, double>> ReadPieces(const nlohmann::json& list, const std::string& where,
                                                          std::unordered_map<std::u32string, double>& table) {
  if (!list.is_array()) throw InvalidInput(where + ": expected an array of [piece, score]");
  std::vector<std::pair<std::u32string, double>> pieces;
  pieces.reserve(list.size());
  for (const auto& entry : list) {
    if (!entry.is_array() || entry.size() != 2 || !entry[1].is_number()) {
      throw InvalidInput(where + ": expected [piece, score] entries, got " + entry.dump());
    }
    pieces.emplace_back(Chars(entry[0], where), entry[1].get<double>());
    table.emplace(pieces.back().first, pieces.back().second);  // the first of duplicate pieces wins, as in Python
  }
  return pieces;
}

}  // namespace

LayoutNormalizer LayoutNormalizer::FromFile(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot read the text normalizer table '" + file + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const auto root = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) throw InvalidInput(file + ": not a JSON object");
  if (!root.contains("type") || root["type"] != kFileType || !root.contains("version") || root["version"] != 1) {
    throw InvalidInput(file + ": expected \"type\": \"" + kFileType + "\" and \"version\": 1");
  }
  auto tables = std::make_unique<Tables>();
  const auto& layout = Field(root, "layout", file);
  if (!layout.is_object()) throw InvalidInput(file + ": field 'layout' must be an object");
  for (const auto& [key, value] : layout.items()) {
    const auto from = Chars(key, file + ": layout key");
    const auto to = Chars(value, file + ": layout['" + key + "']");
    if (from.size() != 1 || to.size() != 1) throw InvalidInput(file + ": layout maps one character to one");
    tables->layout[from[0]] = to[0];
  }
  const auto& translit = Field(root, "translit", file);
  if (!translit.is_object()) throw InvalidInput(file + ": field 'translit' must be an object");
  std::unordered_map<char32_t, std::vector<std::u32string>> spellings;
  for (const auto& [key, value] : translit.items()) {
    const auto letter = Chars(key, file + ": translit key");
    if (letter.size() != 1 || !value.is_array() || value.empty()) {
      throw InvalidInput(file + ": translit maps one letter to a non-empty list of spellings");
    }
    for (const auto& spelling : value) spellings[letter[0]].push_back(Chars(spelling, file + ": translit"));
  }
  const double max_spellings = Number(root, "max_spellings", file);
  const double max_piece = Number(root, "max_piece_chars", file);
  if (max_piece < 1 || max_piece > 1000) throw InvalidInput(file + ": max_piece_chars must be 1..1000");
  tables->max_piece = static_cast<std::size_t>(max_piece);
  tables->margin_layout = Number(root, "margin_layout", file);
  tables->margin_translit = Number(root, "margin_translit", file);
  const auto& lm = Field(root, "lm", file);
  tables->unk = Number(lm, "unk_score", file);
  ReadPieces(Field(lm, "latin", file), file + ": lm.latin", tables->latin);
  const auto cyrillic = ReadPieces(Field(lm, "cyrillic", file), file + ": lm.cyrillic", tables->cyrillic);

  // The translit index: every spelling of every Cyrillic piece (all combinations up to max_spellings, else each
  // letter's first spelling) -> the highest-scoring piece with that spelling, the first in file order on ties.
  for (const auto& [piece, score] : cyrillic) {
    const bool lead = !piece.empty() && piece[0] == kSpacePiece;
    std::vector<const std::vector<std::u32string>*> options;
    double combinations = 1;
    bool known = true;
    for (std::size_t i = lead ? 1 : 0; i < piece.size(); ++i) {
      const auto it = spellings.find(piece[i]);
      if (it == spellings.end()) {
        known = false;
        break;
      }
      options.push_back(&it->second);
      combinations *= static_cast<double>(it->second.size());
    }
    if (!known) throw InvalidInput(file + ": a Cyrillic piece has a letter without a translit spelling");
    const bool all = combinations <= max_spellings;
    std::vector<std::size_t> choice(options.size(), 0);  // an odometer over the options, the last letter fastest
    while (true) {
      std::u32string key = lead ? std::u32string(1, kSpacePiece) : std::u32string();
      for (std::size_t k = 0; k < options.size(); ++k) key += (*options[k])[choice[k]];
      if (key.size() > (lead ? 1u : 0u)) {
        const auto it = tables->translit.find(key);
        if (it == tables->translit.end()) {
          tables->translit.emplace(std::move(key), std::make_pair(score, piece));
        } else if (it->second.first < score) {
          it->second = {score, piece};
        }
      }
      if (!all) break;
      std::size_t k = options.size();
      while (k > 0 && ++choice[k - 1] == options[k - 1]->size()) choice[--k] = 0;
      if (k == 0) break;
    }
  }
  return LayoutNormalizer(std::move(tables));
}

std::string LayoutNormalizer::Normalize(std::string_view text) const {
  bool has_letter = false;
  for (const char c : text) has_letter = has_letter || IsLatin(static_cast<unsigned char>(c));
  if (!has_letter) return std::string(text);

  std::vector<std::string_view> tokens;  // split on ' ', empty tokens kept, as Python's str.split(" ")
  for (std::size_t start = 0;;) {
    const std::size_t space = text.find(' ', start);
    tokens.push_back(text.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  std::vector<std::u32string> chars(tokens.size());
  std::vector<std::vector<std::size_t>> runs(1);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    chars[i] = utf8::DecodeLossy(tokens[i]);
    bool latin = false, cyrillic = false, punctuation_only = true;
    for (const char32_t c : chars[i]) {
      latin = latin || IsLatin(c);
      cyrillic = cyrillic || IsCyrillic(c);
      punctuation_only = punctuation_only && IsAsciiPunctuation(c);
    }
    if (latin && !cyrillic) {
      runs.back().push_back(i);
    } else if (!punctuation_only && !runs.back().empty()) {
      runs.emplace_back();
    }
  }

  std::vector<std::optional<std::string>> rewritten(tokens.size());
  for (const auto& run : runs) {
    if (run.empty()) continue;
    double keep = 0.0, layout = 0.0, translit = 0.0;
    std::vector<Tables::TokenReadings> readings;
    for (const std::size_t i : run) {
      readings.push_back(tables_->Readings(chars[i]));
      keep += readings.back().keep;
      layout += readings.back().layout;
      translit += readings.back().translit;
    }
    const double n = static_cast<double>(run.size());
    enum { kKeep, kLayout, kTranslit } choice = kKeep;
    double value = 0.0;
    if (layout - keep >= tables_->margin_layout * n && (layout - keep) / n - tables_->margin_layout > value) {
      choice = kLayout;
      value = (layout - keep) / n - tables_->margin_layout;
    }
    if (translit - keep >= tables_->margin_translit * n && (translit - keep) / n - tables_->margin_translit > value) {
      choice = kTranslit;
    }
    if (choice == kKeep) continue;
    for (std::size_t k = 0; k < run.size(); ++k) {
      rewritten[run[k]] = utf8::Encode(choice == kLayout ? readings[k].layout_text : readings[k].translit_text);
    }
  }
  std::string out;
  out.reserve(text.size() * 2);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out.append(rewritten[i] ? std::string_view(*rewritten[i]) : tokens[i]);
  }
  return out;
}

}  // namespace fastintent::text
