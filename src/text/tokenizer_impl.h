#pragma once
// Everything a loaded tokenizer knows, filled by one of the loaders and then never changed.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "added_tokens.h"
#include "fastintent/text/tokenizer.h"
#include "models/model.h"
#include "normalizers/bert_normalizer.h"
#include "post_processors/post_processor.h"
#include "pre_tokenizers/pre_tokenizer.h"

namespace fastintent::text {

struct SavedTruncation {
  std::size_t max_length = 0;
  TruncationStrategy strategy = TruncationStrategy::kLongestFirst;
  Side direction = Side::kRight;
};

struct SavedPadding {
  PaddingStrategy strategy = PaddingStrategy::kLongest;  // kMaxLength means Fixed(fixed_length)
  std::size_t fixed_length = 0;
  std::optional<std::size_t> pad_to_multiple_of;
  Side direction = Side::kRight;
  std::int64_t pad_id = 0;
  std::int64_t pad_type_id = 0;
  std::string pad_token = "[PAD]";
};

struct Tokenizer::Impl {
  std::unique_ptr<const detail::Normalizer> normalizer;       // null: none
  std::unique_ptr<const detail::PreTokenizer> pre_tokenizer;  // null: the whole split is one word
  std::unique_ptr<const detail::Model> model;
  detail::AddedTokenMatcher raw_added;         // added tokens with normalized=false
  detail::AddedTokenMatcher normalized_added;  // added tokens with normalized=true
  std::vector<std::string> added_token_text;   // id -> content for added ids beyond the model vocabulary
  std::int32_t added_id_base = 0;              // first id of added_token_text
  detail::PostProcessor post;
  std::vector<detail::EdgeSpaces> vocab_spaces;  // by model id, when post.trim_offsets (RobertaProcessing)
  std::optional<SavedTruncation> truncation;     // applied when EncodeOptions do not say otherwise
  std::optional<SavedPadding> padding;
  std::int64_t pad_id = 0;  // used when padding is asked for but none is saved
  std::string pad_token = "[PAD]";
  std::optional<std::size_t> saved_max_length;
  // Which reference's rules to follow: the tokenizer.json form follows `tokenizers`, the vocab.txt form
  // follows transformers' (Python) BertTokenizer, which is what loading that form gives in transformers.
  detail::Flavor flavor = detail::Flavor::kHfTokenizers;
  bool slow_lowercase = false;  // kTransformersSlow: lowercase the raw text outside special tokens first
  std::filesystem::path source;

  explicit Impl(std::unique_ptr<const detail::Model> m) : model(std::move(m)) {}
};

// Loaders; both throw InvalidInput / IoError naming the file and the field.
std::unique_ptr<Tokenizer::Impl> LoadTokenizerJson(const std::filesystem::path& file);
std::unique_ptr<Tokenizer::Impl> LoadVocabTxt(const std::filesystem::path& directory);

namespace detail {
// The token of an id (model vocabulary or added token); empty for an unknown id.
std::string IdToTokenOf(const Tokenizer::Impl& impl, std::int64_t id);
}  // namespace detail

}  // namespace fastintent::text
