#pragma once
// Unigram (SentencePiece) model as Hugging Face `tokenizers` runs it: the Viterbi path over the pieces'
// log-probability scores, each character not covered by a one-character piece also reachable as the unknown
// piece at (lowest score - 10); runs of unknown pieces fused into one token; with byte_fallback, a fused
// run that is not itself a piece becomes its UTF-8 bytes as <0xXX> pieces when all of them exist.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/model.h"
#include "models/piece_trie.h"

namespace fastintent::text::detail {

class Unigram : public Model {
 public:
  // `pieces[i]` with `scores[i]` is vocabulary entry i. Throws InvalidInput for an empty vocabulary, an
  // unk_id outside it, or a score that is not finite.
  Unigram(std::vector<std::string> pieces, std::vector<double> scores, std::int64_t unk_id, bool byte_fallback);

  void Tokenize(std::string_view word, const std::vector<std::uint32_t>& char_starts, std::vector<Piece>& out,
                ModelScratch& scratch) const override;
  std::int32_t Find(std::string_view token) const override;
  std::size_t size() const override { return pieces_.size(); }
  const std::string& token(std::int32_t id) const override { return pieces_[static_cast<std::size_t>(id)]; }
  bool TokenIsCoveredText(std::int32_t id) const override { return id == unk_id_; }

  std::int32_t unk_id() const { return unk_id_; }

 private:
  // Appends the token(s) of a fused run of unknown pieces covering characters [begin, end).
  void EmitUnknown(std::string_view word, const std::vector<std::uint32_t>& char_starts, std::uint32_t begin,
                   std::uint32_t end, std::vector<Piece>& out) const;

  std::vector<std::string> pieces_;
  std::vector<double> scores_;
  std::unordered_map<std::string_view, std::int32_t, StringViewHash, std::equal_to<>> ids_;  // last id wins
  PieceTrie trie_;
  double unk_score_ = 0;
  std::int32_t unk_id_ = 0;
  bool byte_fallback_ = false;
  std::array<std::int32_t, 256> byte_ids_{};  // id of the piece "<0xXX>" for each byte, or -1
};

}  // namespace fastintent::text::detail
