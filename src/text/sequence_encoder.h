#pragma once
// Turns one text into model tokens (ids and byte offsets), before special tokens, truncation and padding.
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
  void clear() {
    ids.clear();
    offsets.clear();
  }
};

// Per-thread scratch buffers so that encoding allocates nothing in the steady state.
struct EncoderScratch {
  std::vector<utf8::DecodedChar> chars;
  std::vector<utf8::DecodedChar> word;
  NormalizerScratch normalizer;
  std::vector<AddedMatch> matches;
  std::string utf8;
  std::vector<std::uint32_t> char_starts;
  std::vector<Piece> pieces;
};

EncoderScratch& ThreadScratch();

// Appends the tokens of `text` to `out` (added tokens cut out first, then normalize, pre-tokenize, WordPiece).
void EncodeSequence(const Tokenizer::Impl& impl, std::string_view text, EncoderScratch& scratch, SequenceTokens& out);

}  // namespace fastintent::text::detail
