// Loads a Hugging Face tokenizer.json: the four pipeline stages (pipeline_json.h), added tokens, saved
// truncation and padding.
#include <algorithm>
#include <limits>
#include <unordered_map>

#include "fastintent/common/error.h"
#include "json_fields.h"
#include "pipeline_json.h"
#include "tokenizer_impl.h"

namespace fastintent::text {
namespace {

using detail::JsonFields;
using nlohmann::json;

constexpr std::int64_t kMaxVocabId = 50'000'000;

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
  // Scores of Unigram pieces must be the doubles Hugging Face reads (serde_number.h).
  const json root = detail::ReadJsonFile(file, detail::FloatRule::kSerdeJson);
  const JsonFields f(root, file, "");
  auto impl = std::make_unique<Tokenizer::Impl>(detail::ParseModel(f.Find("model"), file));
  const detail::Model& model = *impl->model;
  impl->source = file;
  impl->flavor = detail::Flavor::kHfTokenizers;
  impl->normalizer = detail::ParseNormalizer(f.Find("normalizer"), file);
  impl->pre_tokenizer = detail::ParsePreTokenizer(f.Find("pre_tokenizer"), file);
  impl->post = detail::ParsePostProcessor(f.Find("post_processor"), file);
  if (impl->post.trim_offsets) {
    // RobertaProcessing trims offsets by the whitespace at the ends of each token's string.
    impl->vocab_spaces.reserve(model.size());
    for (std::size_t id = 0; id < model.size(); ++id) {
      impl->vocab_spaces.push_back(detail::CountEdgeSpaces(model.token(static_cast<std::int32_t>(id))));
    }
  }
  impl->truncation = ParseTruncation(f.Find("truncation"), file);
  impl->padding = ParsePadding(f.Find("padding"), file);

  std::vector<detail::AddedToken> raw;
  std::vector<detail::AddedToken> normalized;
  const auto model_size = static_cast<std::int32_t>(model.size());
  // tokenizers ignores the saved ids: it adds the tokens in file order, and a token gets the id of the same
  // content added before, else its id in the model vocabulary, else the next id after the vocabulary.
  std::unordered_map<std::string, std::int32_t> assigned;
  std::int32_t next_id = model_size;
  std::vector<detail::AddedToken> parsed = ParseAddedTokens(f.Find("added_tokens"), file);
  for (detail::AddedToken& t : parsed) {
    if (const auto it = assigned.find(t.content); it != assigned.end()) {
      t.id = it->second;
    } else if (const std::int32_t vocab_id = model.Find(t.content); vocab_id >= 0) {
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
    if (t.normalized && impl->normalizer) t.content = detail::NormalizeString(*impl->normalizer, t.content);
    (t.normalized ? normalized : raw).push_back(std::move(t));
  }
  impl->added_id_base = model_size;
  impl->raw_added = detail::AddedTokenMatcher(std::move(raw));
  impl->normalized_added = detail::AddedTokenMatcher(std::move(normalized));

  if (impl->padding) {
    impl->pad_id = impl->padding->pad_id;
    impl->pad_token = impl->padding->pad_token;
  } else {
    // No saved padding: the BERT or the XLM-R / SentencePiece name of the padding token.
    for (const char* name : {"[PAD]", "<pad>"}) {
      if (const std::int32_t id = model.Find(name); id >= 0) {
        impl->pad_id = id;
        impl->pad_token = name;
        break;
      }
    }
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
