#include "sequence_encoder.h"

#include <algorithm>

namespace fastintent::text::detail {
namespace {

EdgeSpaces SpacesOf(std::span<const utf8::DecodedChar> chars) {
  EdgeSpaces s;
  while (s.leading < chars.size() && IsTrimmedSpace(chars[s.leading].cp)) ++s.leading;
  while (s.trailing < chars.size() && IsTrimmedSpace(chars[chars.size() - 1 - s.trailing].cp)) ++s.trailing;
  return s;
}

// The UTF-8 of `chars` and the byte offset where each character starts (plus the total size at the end).
void EncodeUtf8(std::span<const utf8::DecodedChar> chars, std::string& bytes, std::vector<std::uint32_t>& starts) {
  bytes.clear();
  starts.clear();
  for (const utf8::DecodedChar& c : chars) {
    starts.push_back(static_cast<std::uint32_t>(bytes.size()));
    utf8::Append(c.cp, bytes);
  }
  starts.push_back(static_cast<std::uint32_t>(bytes.size()));
}

void EmitWord(const Tokenizer::Impl& impl, std::span<const utf8::DecodedChar> word, EncoderScratch& scratch,
              SequenceTokens& out) {
  EncodeUtf8(word, scratch.utf8, scratch.char_starts);
  scratch.pieces.clear();
  impl.model->Tokenize(scratch.utf8, scratch.char_starts, scratch.pieces, scratch.model);
  for (const Piece& p : scratch.pieces) {
    out.ids.push_back(p.id);
    out.offsets.emplace_back(word[p.char_begin].begin, word[p.char_end - 1].end);
    if (impl.post.trim_offsets) {
      out.spaces.push_back(impl.model->TokenIsCoveredText(p.id)
                               ? SpacesOf(word.subspan(p.char_begin, p.char_end - p.char_begin))
                               : impl.vocab_spaces[static_cast<std::size_t>(p.id)]);
    }
  }
}

// One split of normalized characters: pre-tokenize, then tokenize each word.
void EmitSplit(const Tokenizer::Impl& impl, std::span<const utf8::DecodedChar> split, EncoderScratch& scratch,
               SequenceTokens& out) {
  if (split.empty()) return;
  scratch.words.clear();
  if (impl.pre_tokenizer) {
    impl.pre_tokenizer->Split(split, scratch.words, scratch.pre);
  } else {
    scratch.words.Add(split);
  }
  for (std::size_t w = 0; w < scratch.words.size(); ++w) EmitWord(impl, scratch.words.word(w), scratch, out);
}

// A segment of the raw input between added tokens; `base` is its byte offset in the input.
void EmitSegment(const Tokenizer::Impl& impl, std::string_view text, std::size_t base, EncoderScratch& scratch,
                 SequenceTokens& out) {
  if (text.empty()) return;
  AlignedChars& chars = scratch.chars;
  utf8::DecodeLossy(text, chars);
  if (base != 0) {
    for (utf8::DecodedChar& c : chars) {
      c.begin += static_cast<std::uint32_t>(base);
      c.end += static_cast<std::uint32_t>(base);
    }
  }
  if (impl.flavor == Flavor::kTransformersSlow && impl.slow_lowercase) {
    // PreTrainedTokenizer.tokenize lowercases every character (outside special tokens) before anything else.
    LowercaseChars(chars, scratch.normalizer, impl.flavor);
  }
  if (impl.normalizer) impl.normalizer->Normalize(chars, scratch.normalizer);
  if (impl.normalized_added.empty()) {
    EmitSplit(impl, chars, scratch, out);
    return;
  }
  // Added tokens marked normalized=true are matched in the normalized text.
  EncodeUtf8(chars, scratch.normalized_utf8, scratch.normalized_starts);
  scratch.normalized_matches.clear();
  impl.normalized_added.FindAll(scratch.normalized_utf8, scratch.normalized_matches);
  auto char_index = [&](std::size_t byte) {
    return static_cast<std::size_t>(
        std::lower_bound(scratch.normalized_starts.begin(), scratch.normalized_starts.end(), byte) -
        scratch.normalized_starts.begin());
  };
  const std::span<const utf8::DecodedChar> all(chars);
  std::size_t pos = 0;
  for (const AddedMatch& m : scratch.normalized_matches) {
    const std::size_t b = char_index(m.begin);
    const std::size_t e = char_index(m.end);
    EmitSplit(impl, all.subspan(pos, b - pos), scratch, out);
    out.ids.push_back(m.id);
    out.offsets.emplace_back(chars[b].begin, chars[e - 1].end);
    if (impl.post.trim_offsets) out.spaces.push_back(SpacesOf(all.subspan(b, e - b)));
    pos = e;
  }
  EmitSplit(impl, all.subspan(pos), scratch, out);
}

}  // namespace

EncoderScratch& ThreadScratch() {
  thread_local EncoderScratch scratch;
  return scratch;
}

void EncodeSequence(const Tokenizer::Impl& impl, std::string_view text, EncoderScratch& scratch, SequenceTokens& out) {
  std::vector<AddedMatch>& matches = scratch.raw_matches;
  matches.clear();
  impl.raw_added.FindAll(text, matches);
  std::size_t pos = 0;
  for (const AddedMatch& m : matches) {
    EmitSegment(impl, text.substr(pos, m.begin - pos), pos, scratch, out);
    out.ids.push_back(m.id);
    out.offsets.emplace_back(static_cast<std::uint32_t>(m.begin), static_cast<std::uint32_t>(m.end));
    if (impl.post.trim_offsets) out.spaces.push_back(CountEdgeSpaces(text.substr(m.begin, m.end - m.begin)));
    pos = m.end;
  }
  EmitSegment(impl, text.substr(pos), pos, scratch, out);
}

}  // namespace fastintent::text::detail
