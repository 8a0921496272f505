#pragma once
// The model stage: turns one pre-tokenized word into vocabulary ids (WordPiece, Unigram).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fastintent::text::detail {

// Hash for string_view keys of the vocabulary maps (FNV-1a, 64-bit: short keys, no allocation).
struct StringViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};

// One piece of a word: its id and the [begin, end) character indices it covers in the word.
struct Piece {
  std::int32_t id;
  std::uint32_t char_begin;
  std::uint32_t char_end;
};

// Reusable buffers of the models, one set per thread.
struct ModelScratch {
  std::vector<double> best_score;  // Unigram: best path score ending at each character boundary
  std::vector<std::int32_t> best_start;
  std::vector<std::int32_t> best_id;
  std::vector<Piece> reversed;
};

class Model {
 public:
  virtual ~Model() = default;
  // Splits `word` (UTF-8; `char_starts` holds the byte offset of each character plus word.size() at the
  // end) into pieces appended to `out`.
  virtual void Tokenize(std::string_view word, const std::vector<std::uint32_t>& char_starts, std::vector<Piece>& out,
                        ModelScratch& scratch) const = 0;
  // Id of a token as spelled in the vocabulary, or -1.
  virtual std::int32_t Find(std::string_view token) const = 0;
  virtual std::size_t size() const = 0;
  virtual const std::string& token(std::int32_t id) const = 0;
  // True when Hugging Face's token string for `id` is the text the piece covers rather than the vocabulary
  // entry (a Unigram unknown piece); RobertaProcessing's offset trimming reads that string.
  virtual bool TokenIsCoveredText(std::int32_t /*id*/) const { return false; }
};

}  // namespace fastintent::text::detail
