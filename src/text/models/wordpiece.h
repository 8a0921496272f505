#pragma once
// WordPiece: greedy longest-match-first over a vocabulary, "##"-style continuation pieces, [UNK] for a
// word that cannot be covered or is longer than max_input_chars_per_word characters.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/model.h"

namespace fastintent::text::detail {

class WordPiece : public Model {
 public:
  // `vocab[i]` is the token with id i. Throws InvalidInput if unk_token is not in the vocabulary.
  WordPiece(std::vector<std::string> vocab, std::string unk_token, std::string continuing_prefix,
            std::size_t max_input_chars_per_word);

  void Tokenize(std::string_view word, const std::vector<std::uint32_t>& char_starts, std::vector<Piece>& out,
                ModelScratch& scratch) const override;

  std::int32_t unk_id() const { return unk_id_; }
  std::size_t size() const override { return vocab_.size(); }
  const std::string& token(std::int32_t id) const override { return vocab_[static_cast<std::size_t>(id)]; }
  const std::string& continuing_prefix() const { return prefix_; }
  // Id of a whole token as spelled in the vocabulary (with its "##" if any), or -1.
  std::int32_t Find(std::string_view token) const override;

 private:
  std::vector<std::string> vocab_;
  std::string prefix_;
  std::size_t max_chars_;
  std::int32_t unk_id_ = -1;
  std::size_t max_token_bytes_ = 0;
  // Every token, keyed by its spelling; and the tokens that start with the prefix, keyed without it.
  std::unordered_map<std::string_view, std::int32_t, StringViewHash, std::equal_to<>> initial_;
  std::unordered_map<std::string_view, std::int32_t, StringViewHash, std::equal_to<>> continuing_;
};

}  // namespace fastintent::text::detail
