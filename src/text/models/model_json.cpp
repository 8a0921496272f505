// Reads the "model" of a tokenizer.json: WordPiece or Unigram.
#include <cmath>

#include "fastintent/common/error.h"
#include "json_fields.h"
#include "models/unigram.h"
#include "models/wordpiece.h"
#include "pipeline_json.h"

namespace fastintent::text::detail {
namespace {

using nlohmann::json;

std::unique_ptr<const Model> ParseWordPiece(const JsonFields& f, const std::filesystem::path& file) {
  const json* vocab = f.Find("vocab");
  if (vocab == nullptr || !vocab->is_object()) {
    f.Fail("vocab", vocab == nullptr ? "nothing" : Describe(*vocab), "an object of token -> id");
  }
  // Ids must be dense, [0, number of entries), as every vocabulary written from a vocab.txt is: the token
  // table is indexed by id, so a file must not be able to size it (one id of 50,000,000 in a 2 KB file
  // would take gigabytes).
  std::vector<std::string> tokens;
  tokens.reserve(vocab->size());
  const auto entries = static_cast<std::int64_t>(vocab->size());
  for (auto it = vocab->begin(); it != vocab->end(); ++it) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() >= entries) {
      f.Fail("vocab[\"" + it.key() + "\"]", Describe(*it),
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
    return std::make_unique<WordPiece>(std::move(tokens), f.StringOr("unk_token", "[UNK]"),
                                       f.StringOr("continuing_subword_prefix", "##"),
                                       static_cast<std::size_t>(max_chars));
  } catch (const InvalidInput& e) {
    throw InvalidInput(file.string() + ": model: " + e.what());
  }
}

std::unique_ptr<const Model> ParseUnigram(const JsonFields& f, const std::filesystem::path& file) {
  const json* vocab = f.Find("vocab");
  if (vocab == nullptr || !vocab->is_array()) {
    f.Fail("vocab", vocab == nullptr ? "nothing" : Describe(*vocab), "an array of [piece, score] pairs");
  }
  std::vector<std::string> pieces;
  std::vector<double> scores;
  pieces.reserve(vocab->size());
  scores.reserve(vocab->size());
  for (std::size_t i = 0; i < vocab->size(); ++i) {
    const json& entry = (*vocab)[i];
    if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number() ||
        !std::isfinite(entry[1].get<double>())) {
      f.Fail("vocab[" + std::to_string(i) + "]", Describe(entry), "[piece, finite score]");
    }
    pieces.push_back(entry[0].get<std::string>());
    scores.push_back(entry[1].get<double>());
  }
  // Hugging Face accepts a null unk_id and then fails on the first character no piece covers; refusing the
  // file keeps Encode from failing on text.
  const std::optional<std::int64_t> unk_id = f.OptionalInt("unk_id");
  if (!unk_id) f.Fail("unk_id", "null", "the id of the unknown piece (a Unigram without one fails on unknown text)");
  try {
    return std::make_unique<Unigram>(std::move(pieces), std::move(scores), *unk_id, f.BoolOr("byte_fallback", false));
  } catch (const InvalidInput& e) {
    throw InvalidInput(file.string() + ": model: " + e.what());
  }
}

}  // namespace

std::unique_ptr<const Model> ParseModel(const json* node, const std::filesystem::path& file) {
  if (node == nullptr)
    throw InvalidInput(file.string() + ": field 'model': missing, expected a WordPiece or Unigram model");
  const JsonFields f(*node, file, "model");
  const std::string type = f.StringOr("type", "WordPiece");
  if (type == "WordPiece") return ParseWordPiece(f, file);
  if (type == "Unigram") return ParseUnigram(f, file);
  f.Fail("type", "'" + type + "'", "'WordPiece' or 'Unigram' (BPE and WordLevel are not supported)");
}

}  // namespace fastintent::text::detail
