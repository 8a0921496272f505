// Loads a Hugging Face tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece, TemplateProcessing or
// BertProcessing, added tokens, saved truncation and padding).
#include <algorithm>
#include <limits>
#include <unordered_map>

#include "fastintent/common/error.h"
#include "json_fields.h"
#include "tokenizer_impl.h"

namespace fastintent::text {
namespace {

using detail::JsonFields;
using nlohmann::json;

constexpr std::int64_t kMaxVocabId = 50'000'000;

detail::NormalizerConfig ParseNormalizer(const json* node, const std::filesystem::path& file) {
  detail::NormalizerConfig config;
  if (node == nullptr) {
    config.clean_text = false;
    config.handle_chinese_chars = false;
    return config;
  }
  const JsonFields f(*node, file, "normalizer");
  const std::string type = f.String("type");
  if (type != "BertNormalizer") f.Fail("type", "'" + type + "'", "'BertNormalizer' (the only normalizer supported)");
  config.clean_text = f.BoolOr("clean_text", true);
  config.handle_chinese_chars = f.BoolOr("handle_chinese_chars", true);
  config.lowercase = f.BoolOr("lowercase", true);
  config.strip_accents = f.OptionalBool("strip_accents").value_or(config.lowercase);
  config.flavor = detail::Flavor::kHfTokenizers;
  return config;
}

void CheckPreTokenizer(const json* node, const std::filesystem::path& file) {
  if (node == nullptr)
    throw InvalidInput(file.string() + ": field 'pre_tokenizer': got null, expected BertPreTokenizer");
  const JsonFields f(*node, file, "pre_tokenizer");
  const std::string type = f.String("type");
  if (type != "BertPreTokenizer") {
    f.Fail("type", "'" + type + "'", "'BertPreTokenizer' (the only pre-tokenizer supported)");
  }
}

detail::WordPiece ParseModel(const json* node, const std::filesystem::path& file) {
  if (node == nullptr) throw InvalidInput(file.string() + ": field 'model': missing, expected a WordPiece model");
  const JsonFields f(*node, file, "model");
  const std::string type = f.StringOr("type", "WordPiece");
  if (type != "WordPiece") f.Fail("type", "'" + type + "'", "'WordPiece' (the only model supported)");
  const json* vocab = f.Find("vocab");
  if (vocab == nullptr || !vocab->is_object()) {
    f.Fail("vocab", vocab == nullptr ? "nothing" : detail::Describe(*vocab), "an object of token -> id");
  }
  // Ids must be dense, [0, number of entries), as every vocabulary written from a vocab.txt is: the token
  // table is indexed by id, so a file must not be able to size it (one id of 50,000,000 in a 2 KB file
  // would take gigabytes).
  std::vector<std::string> tokens;
  tokens.reserve(vocab->size());
  const auto entries = static_cast<std::int64_t>(vocab->size());
  for (auto it = vocab->begin(); it != vocab->end(); ++it) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() >= entries) {
      f.Fail("vocab[\"" + it.key() + "\"]", detail::Describe(*it),
             "an id in [0, " + std::to_string(entries) + ") (ids of the " + std::to_string(entries) +
                 " vocabulary entries are dense)");
    }
    const auto id = static_cast<std::size_t>(it->get<std::int64_t>());
    if (id >= tokens.size()) tokens.resize(id + 1);
    tokens[id] = it.key();
  }
  const std::int64_t max_chars = f.IntOr("max_input_chars_per_word", 100);
  if (max_chars < 0) f.Fail("max_input_chars_per_word", std::to_string(max_chars), "a non-negative integer");
  try {
    return detail::WordPiece(std::move(tokens), f.StringOr("unk_token", "[UNK]"),
                             f.StringOr("continuing_subword_prefix", "##"), static_cast<std::size_t>(max_chars));
  } catch (const InvalidInput& e) {
    throw InvalidInput(file.string() + ": model: " + e.what());
  }
}

// {"id": "[CLS]", "type_id": 0} inside a SpecialToken / Sequence template piece.
detail::TemplatePart ParseTemplatePiece(const json& piece, const json* special_tokens,
                                        const std::filesystem::path& file, const std::string& where) {
  const JsonFields outer(piece, file, where);
  detail::TemplatePart part;
  if (const json* seq = outer.Find("Sequence")) {
    const JsonFields f(*seq, file, where + ".Sequence");
    const std::string id = f.String("id");
    if (id != "A" && id != "B") f.Fail("id", "'" + id + "'", "'A' or 'B'");
    part.kind = id == "A" ? detail::TemplatePart::Kind::kSequenceA : detail::TemplatePart::Kind::kSequenceB;
    part.type_id = static_cast<std::int32_t>(f.IntOr("type_id", 0));
    return part;
  }
  const json* special = outer.Find("SpecialToken");
  if (special == nullptr) outer.Fail("", detail::Describe(piece), "{\"Sequence\": ...} or {\"SpecialToken\": ...}");
  const JsonFields f(*special, file, where + ".SpecialToken");
  const std::string name = f.String("id");
  part.kind = detail::TemplatePart::Kind::kSpecial;
  part.type_id = static_cast<std::int32_t>(f.IntOr("type_id", 0));
  if (special_tokens == nullptr || !special_tokens->contains(name)) {
    f.Fail("id", "'" + name + "'", "a name listed in post_processor.special_tokens");
  }
  const JsonFields token(special_tokens->at(name), file, "post_processor.special_tokens." + name);
  const json* ids = token.Find("ids");
  const json* strings = token.Find("tokens");
  if (ids == nullptr || !ids->is_array())
    token.Fail("ids", ids ? detail::Describe(*ids) : "nothing", "an array of ids");
  for (const json& id : *ids) {
    if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > kMaxVocabId) {
      token.Fail("ids", detail::Describe(id), "non-negative integer ids");
    }
    part.ids.push_back(static_cast<std::int32_t>(id.get<std::int64_t>()));
  }
  if (strings != nullptr && strings->is_array() && strings->size() == ids->size()) {
    for (const json& s : *strings) part.tokens.push_back(s.is_string() ? s.get<std::string>() : "");
  } else {
    part.tokens.assign(part.ids.size(), name);
  }
  return part;
}

detail::PostProcessor ParsePostProcessor(const json* node, const std::filesystem::path& file) {
  detail::PostProcessor post;
  using Kind = detail::TemplatePart::Kind;
  if (node == nullptr) {
    post.single = {{Kind::kSequenceA, {}, {}, 0}};
    post.pair = {{Kind::kSequenceA, {}, {}, 0}, {Kind::kSequenceB, {}, {}, 1}};
    return post;
  }
  const JsonFields f(*node, file, "post_processor");
  const std::string type = f.String("type");
  if (type == "BertProcessing") {
    auto special = [&](const char* key) {
      const json* v = f.Find(key);
      if (v == nullptr || !v->is_array() || v->size() != 2 || !(*v)[0].is_string() || !(*v)[1].is_number_integer()) {
        f.Fail(key, v ? detail::Describe(*v) : "nothing", "[token, id]");
      }
      return detail::TemplatePart{Kind::kSpecial, {(*v)[1].get<std::int32_t>()}, {(*v)[0].get<std::string>()}, 0};
    };
    const detail::TemplatePart cls = special("cls");
    const detail::TemplatePart sep = special("sep");
    detail::TemplatePart sep1 = sep;
    sep1.type_id = 1;
    post.single = {cls, {Kind::kSequenceA, {}, {}, 0}, sep};
    post.pair = {cls, {Kind::kSequenceA, {}, {}, 0}, sep, {Kind::kSequenceB, {}, {}, 1}, sep1};
    return post;
  }
  if (type != "TemplateProcessing") {
    f.Fail("type", "'" + type + "'", "'TemplateProcessing' or 'BertProcessing'");
  }
  const json* special_tokens = f.Find("special_tokens");
  for (const char* key : {"single", "pair"}) {
    const json* pieces = f.Find(key);
    if (pieces == nullptr || !pieces->is_array())
      f.Fail(key, pieces ? detail::Describe(*pieces) : "nothing", "an array");
    auto& out = std::string(key) == "single" ? post.single : post.pair;
    for (std::size_t i = 0; i < pieces->size(); ++i) {
      out.push_back(ParseTemplatePiece((*pieces)[i], special_tokens, file,
                                       "post_processor." + std::string(key) + "[" + std::to_string(i) + "]"));
    }
  }
  return post;
}

std::vector<detail::AddedToken> ParseAddedTokens(const json* node, const std::filesystem::path& file) {
  std::vector<detail::AddedToken> tokens;
  if (node == nullptr) return tokens;
  if (!node->is_array())
    throw InvalidInput(file.string() + ": field 'added_tokens': got " + detail::Describe(*node) +
                       ", expected an array");
  for (std::size_t i = 0; i < node->size(); ++i) {
    const JsonFields f((*node)[i], file, "added_tokens[" + std::to_string(i) + "]");
    detail::AddedToken t;
    t.content = f.String("content");
    const std::int64_t id = f.Int("id");
    if (id < 0 || id > kMaxVocabId)
      f.Fail("id", std::to_string(id), "an id in [0, " + std::to_string(kMaxVocabId) + "]");
    t.id = static_cast<std::int32_t>(id);
    t.single_word = f.BoolOr("single_word", false);
    t.lstrip = f.BoolOr("lstrip", false);
    t.rstrip = f.BoolOr("rstrip", false);
    t.special = f.BoolOr("special", false);
    t.normalized = f.BoolOr("normalized", !t.special);
    tokens.push_back(std::move(t));
  }
  return tokens;
}

std::optional<SavedTruncation> ParseTruncation(const json* node, const std::filesystem::path& file) {
  if (node == nullptr) return std::nullopt;
  const JsonFields f(*node, file, "truncation");
  SavedTruncation t;
  const std::int64_t max_length = f.Int("max_length");
  if (max_length < 0) f.Fail("max_length", std::to_string(max_length), "a non-negative integer");
  t.max_length = static_cast<std::size_t>(max_length);
  const std::string strategy = f.StringOr("strategy", "LongestFirst");
  if (strategy == "LongestFirst") {
    t.strategy = TruncationStrategy::kLongestFirst;
  } else if (strategy == "OnlyFirst") {
    t.strategy = TruncationStrategy::kOnlyFirst;
  } else if (strategy == "OnlySecond") {
    t.strategy = TruncationStrategy::kOnlySecond;
  } else {
    f.Fail("strategy", "'" + strategy + "'", "LongestFirst, OnlyFirst or OnlySecond");
  }
  const std::string direction = f.StringOr("direction", "Right");
  if (direction != "Right" && direction != "Left") f.Fail("direction", "'" + direction + "'", "Right or Left");
  t.direction = direction == "Left" ? Side::kLeft : Side::kRight;
  if (f.IntOr("stride", 0) != 0)
    f.Fail("stride", std::to_string(f.IntOr("stride", 0)), "0 (overflow windows are not supported)");
  return t;
}

std::optional<SavedPadding> ParsePadding(const json* node, const std::filesystem::path& file) {
  if (node == nullptr) return std::nullopt;
  const JsonFields f(*node, file, "padding");
  SavedPadding p;
  const json* strategy = f.Find("strategy");
  if (strategy != nullptr && strategy->is_string() && strategy->get<std::string>() == "BatchLongest") {
    p.strategy = PaddingStrategy::kLongest;
  } else if (strategy != nullptr && strategy->is_object() && strategy->contains("Fixed") &&
             (*strategy)["Fixed"].is_number_integer() && (*strategy)["Fixed"].get<std::int64_t>() >= 0) {
    p.strategy = PaddingStrategy::kMaxLength;
    p.fixed_length = static_cast<std::size_t>((*strategy)["Fixed"].get<std::int64_t>());
  } else {
    f.Fail("strategy", strategy ? detail::Describe(*strategy) : "nothing", "\"BatchLongest\" or {\"Fixed\": n}");
  }
  const std::string direction = f.StringOr("direction", "Right");
  if (direction != "Right" && direction != "Left") f.Fail("direction", "'" + direction + "'", "Right or Left");
  p.direction = direction == "Left" ? Side::kLeft : Side::kRight;
  if (const auto multiple = f.OptionalInt("pad_to_multiple_of")) {
    if (*multiple <= 0) f.Fail("pad_to_multiple_of", std::to_string(*multiple), "a positive integer or null");
    p.pad_to_multiple_of = static_cast<std::size_t>(*multiple);
  }
  p.pad_id = f.IntOr("pad_id", 0);
  p.pad_type_id = f.IntOr("pad_type_id", 0);
  p.pad_token = f.StringOr("pad_token", "[PAD]");
  return p;
}

}  // namespace

std::unique_ptr<Tokenizer::Impl> LoadTokenizerJson(const std::filesystem::path& file) {
  const json root = detail::ReadJsonFile(file);
  const JsonFields f(root, file, "");
  auto impl = std::make_unique<Tokenizer::Impl>(ParseModel(f.Find("model"), file));
  impl->source = file;
  impl->flavor = detail::Flavor::kHfTokenizers;
  impl->normalizer = ParseNormalizer(f.Find("normalizer"), file);
  CheckPreTokenizer(f.Find("pre_tokenizer"), file);
  impl->post = ParsePostProcessor(f.Find("post_processor"), file);
  impl->truncation = ParseTruncation(f.Find("truncation"), file);
  impl->padding = ParsePadding(f.Find("padding"), file);

  std::vector<detail::AddedToken> raw;
  std::vector<detail::AddedToken> normalized;
  const auto model_size = static_cast<std::int32_t>(impl->model.size());
  // tokenizers ignores the saved ids: it adds the tokens in file order, and a token gets the id of the same
  // content added before, else its id in the model vocabulary, else the next id after the vocabulary.
  std::unordered_map<std::string, std::int32_t> assigned;
  std::int32_t next_id = model_size;
  std::vector<detail::AddedToken> parsed = ParseAddedTokens(f.Find("added_tokens"), file);
  for (detail::AddedToken& t : parsed) {
    if (const auto it = assigned.find(t.content); it != assigned.end()) {
      t.id = it->second;
    } else if (const std::int32_t vocab_id = impl->model.Find(t.content); vocab_id >= 0) {
      t.id = vocab_id;
    } else {
      t.id = next_id++;
    }
    assigned[t.content] = t.id;
  }
  for (detail::AddedToken& t : parsed) {
    if (t.content.empty()) continue;
    if (t.id >= model_size) {
      const auto index = static_cast<std::size_t>(t.id - model_size);
      if (index >= impl->added_token_text.size()) impl->added_token_text.resize(index + 1);
      impl->added_token_text[index] = t.content;
    }
    if (t.normalized) t.content = detail::NormalizeString(impl->normalizer, t.content);
    (t.normalized ? normalized : raw).push_back(std::move(t));
  }
  impl->added_id_base = model_size;
  impl->raw_added = detail::AddedTokenMatcher(std::move(raw));
  impl->normalized_added = detail::AddedTokenMatcher(std::move(normalized));

  if (impl->padding) {
    impl->pad_id = impl->padding->pad_id;
    impl->pad_token = impl->padding->pad_token;
  } else if (const std::int32_t id = impl->model.Find("[PAD]"); id >= 0) {
    impl->pad_id = id;
  }
  if (impl->truncation) {
    impl->saved_max_length = impl->truncation->max_length;
  } else {
    const auto config_file = file.parent_path() / "tokenizer_config.json";
    std::error_code ec;
    if (std::filesystem::is_regular_file(config_file, ec)) {
      const json config = detail::ReadJsonFile(config_file);
      if (config.is_object()) {
        const auto max = JsonFields(config, config_file, "").OptionalInt("model_max_length");
        if (max && *max > 0 && *max <= 1'000'000) impl->saved_max_length = static_cast<std::size_t>(*max);
      }
    }
  }
  return impl;
}

}  // namespace fastintent::text
