#pragma once
// The tokenizer files of a checkpoint as pieces by id, and their rewrite under an id map (internal to
// fastintent_vocab). Handles tokenizer.json with a WordPiece or Unigram model and vocab.txt; the rest of a
// tokenizer.json (normalizer, pre-tokenizer, settings) is kept as written, every id in it remapped.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fastintent::vocab::detail {

struct TokenizerPieces {
  std::vector<std::string> pieces;         // by id; the model's vocabulary, then added tokens beyond it
  std::vector<std::int64_t> always_keep;   // added and special tokens, the unknown piece
};

// Throws InvalidInput for a tokenizer model other than WordPiece or Unigram, or ids that are not dense.
TokenizerPieces ReadTokenizerPieces(const std::filesystem::path& dir);

// Writes the tokenizer files of `in` (tokenizer.json, vocab.txt, tokenizer_config.json, special_tokens_map.json
// when present) into `out`, keeping the ids in `kept` (ascending; new id = position in `kept`). Every id
// `kept` leaves out must not be referenced by the files' special tokens (ReadTokenizerPieces lists them).
void WritePrunedTokenizer(const std::filesystem::path& in, const std::filesystem::path& out,
                          const std::vector<std::int64_t>& kept);

}  // namespace fastintent::vocab::detail
