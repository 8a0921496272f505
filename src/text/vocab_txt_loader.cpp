// Loads the older vocab.txt + tokenizer_config.json form the way transformers' BertTokenizer reads it.
#include <fstream>
#include <limits>

#include "fastintent/common/error.h"
#include "json_fields.h"
#include "models/wordpiece.h"
#include "pre_tokenizers/bert_pre_tokenizer.h"
#include "tokenizer_impl.h"

namespace fastintent::text {
namespace {

using detail::JsonFields;
using nlohmann::json;

// Python's open(..., encoding="utf-8") + readlines() + rstrip("\n"): universal newlines, so "\r\n" and a
// lone "\r" also end a line.
std::vector<std::string> ReadVocabLines(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot open " + file.string());
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError("cannot read " + file.string());
  std::vector<std::string> lines;
  std::string current;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (c == '\n' || c == '\r') {
      lines.push_back(std::move(current));
      current.clear();
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) lines.push_back(std::move(current));
  if (lines.empty()) throw InvalidInput(file.string() + ": got an empty vocabulary, expected one token per line");
  return lines;
}

// A special token in tokenizer_config.json is a string or {"content": "..."}.
std::string SpecialToken(const JsonFields& f, const char* key, const char* fallback) {
  const json* v = f.Find(key);
  if (v == nullptr) return fallback;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_object() && v->contains("content") && (*v)["content"].is_string())
    return (*v)["content"].get<std::string>();
  f.Fail(key, detail::Describe(*v), "a token string or {\"content\": token}");
}

}  // namespace

std::unique_ptr<Tokenizer::Impl> LoadVocabTxt(const std::filesystem::path& directory) {
  const auto vocab_file = directory / "vocab.txt";
  const auto config_file = directory / "tokenizer_config.json";
  json config = json::object();
  std::error_code ec;
  if (std::filesystem::is_regular_file(config_file, ec)) config = detail::ReadJsonFile(config_file);
  const JsonFields f(config, config_file, "");

  if (!f.BoolOr("do_basic_tokenize", true))
    f.Fail("do_basic_tokenize", "false", "true (WordPiece-only mode is not supported)");
  const std::string unk = SpecialToken(f, "unk_token", "[UNK]");
  const std::string cls = SpecialToken(f, "cls_token", "[CLS]");
  const std::string sep = SpecialToken(f, "sep_token", "[SEP]");
  const std::string pad = SpecialToken(f, "pad_token", "[PAD]");
  const std::string mask = SpecialToken(f, "mask_token", "[MASK]");

  std::unique_ptr<detail::WordPiece> wordpiece;
  try {
    wordpiece = std::make_unique<detail::WordPiece>(ReadVocabLines(vocab_file), unk, "##", 100);
  } catch (const InvalidInput& e) {
    throw InvalidInput(vocab_file.string() + ": " + e.what());
  }
  const detail::WordPiece& model = *wordpiece;
  auto impl = std::make_unique<Tokenizer::Impl>(std::move(wordpiece));
  impl->source = directory;
  impl->flavor = detail::Flavor::kTransformersSlow;
  detail::NormalizerConfig normalizer;
  normalizer.flavor = detail::Flavor::kTransformersSlow;
  normalizer.clean_text = true;
  normalizer.handle_chinese_chars = f.BoolOr("tokenize_chinese_chars", true);
  normalizer.lowercase = f.BoolOr("do_lower_case", true);
  normalizer.strip_accents = f.OptionalBool("strip_accents").value_or(normalizer.lowercase);
  impl->normalizer = std::make_unique<detail::BertNormalizer>(normalizer);
  impl->slow_lowercase = normalizer.lowercase;
  // BasicTokenizer lowercases and strips accents word by word, after its whitespace split.
  impl->pre_tokenizer = std::make_unique<detail::BertPreTokenizer>(detail::Flavor::kTransformersSlow,
                                                                   normalizer.lowercase, normalizer.strip_accents);

  auto id_of = [&](const std::string& token, const char* key) {
    const std::int32_t id = model.Find(token);
    if (id < 0) {
      throw InvalidInput(config_file.string() + ": field '" + key + "': got '" + token +
                         "', expected a token that is in " + vocab_file.string());
    }
    return id;
  };
  const std::int32_t cls_id = id_of(cls, "cls_token");
  const std::int32_t sep_id = id_of(sep, "sep_token");
  const std::int32_t pad_id = id_of(pad, "pad_token");

  // The special tokens are cut out of the text before tokenizing (transformers' no-split tokens).
  std::vector<detail::AddedToken> specials;
  for (const std::string& token : {unk, cls, sep, pad, mask}) {
    const std::int32_t id = model.Find(token);
    if (id >= 0) specials.push_back({token, id, false, false, false, false, true});
  }
  impl->raw_added = detail::AddedTokenMatcher(std::move(specials));
  impl->added_id_base = static_cast<std::int32_t>(model.size());

  using Kind = detail::TemplatePart::Kind;
  const detail::TemplatePart cls_part{Kind::kSpecial, {cls_id}, {cls}, 0};
  const detail::TemplatePart sep_part{Kind::kSpecial, {sep_id}, {sep}, 0};
  detail::TemplatePart sep_b = sep_part;
  sep_b.type_id = 1;
  impl->post.single = {cls_part, {Kind::kSequenceA, {}, {}, 0}, sep_part};
  impl->post.pair = {cls_part, {Kind::kSequenceA, {}, {}, 0}, sep_part, {Kind::kSequenceB, {}, {}, 1}, sep_b};

  impl->pad_id = pad_id;
  impl->pad_token = pad;
  if (const auto max = f.OptionalInt("model_max_length"); max && *max > 0 && *max <= 1'000'000) {
    impl->saved_max_length = static_cast<std::size_t>(*max);
  }
  return impl;
}

}  // namespace fastintent::text
