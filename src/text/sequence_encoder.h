#pragma once
// Turns one text into model tokens (ids and byte offsets), before special tokens, truncation and padding:
// added tokens cut out of the raw text, then per segment normalizer -> normalized added tokens ->
// pre-tokenizer -> model, as Hugging Face's Tokenizer::encode_single_sequence.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer_impl.h"

namespace fastintent::text::detail {

struct SequenceTokens {
  std::vector<std::int32_t> ids;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> offsets;  // byte [begin, end) in the input
  std::vector<EdgeSpaces> spaces;  // only when the post-processor trims offsets: whitespace of each token
  void clear() {
    ids.clear();
    offsets.clear();
    spaces.clear();
  }
};

// Per-thread scratch buffers so that encoding allocates nothing in the steady state.
struct EncoderScratch {
  AlignedChars chars;  // the segment being encoded, normalized in place
  NormalizerScratch normalizer;
  PreTokenizerScratch pre;
  Words words;
  std::vector<AddedMatch> raw_matches;
  std::vector<AddedMatch> normalized_matches;
  std::string normalized_utf8;
  std::vector<std::uint32_t> normalized_starts;
  std::string utf8;  // the word being tokenized
  std::vector<std::uint32_t> char_starts;
  std::vector<Piece> pieces;
  ModelScratch model;
};

EncoderScratch& ThreadScratch();

// Appends the tokens of `text` to `out`.
void EncodeSequence(const Tokenizer::Impl& impl, std::string_view text, EncoderScratch& scratch, SequenceTokens& out);

}  // namespace fastintent::text::detail
