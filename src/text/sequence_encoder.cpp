#include "sequence_encoder.h"

#include <algorithm>

namespace fastintent::text::detail {
namespace {

// transformers' BasicTokenizer splits words with str.split(), which also breaks on U+2028/U+2029 (not Zs,
// so they survive clean_text); `tokenizers` splits on Rust's char::is_whitespace.
bool SplitsWords(char32_t cp, Flavor flavor) {
  if (IsWhitespace(cp, flavor)) return true;
  return flavor == Flavor::kTransformersSlow &&
         (cp == 0x2028 || cp == 0x2029 || (cp >= 0x1C && cp <= 0x1F) || cp == 0x85 || cp == 0x0B || cp == 0x0C);
}

void EmitWord(const Tokenizer::Impl& impl, const utf8::DecodedChar* chars, std::size_t n, EncoderScratch& scratch,
              SequenceTokens& out) {
  if (n == 0) return;
  scratch.utf8.clear();
  scratch.char_starts.clear();
  for (std::size_t i = 0; i < n; ++i) {
    scratch.char_starts.push_back(static_cast<std::uint32_t>(scratch.utf8.size()));
    utf8::Append(chars[i].cp, scratch.utf8);
  }
  scratch.char_starts.push_back(static_cast<std::uint32_t>(scratch.utf8.size()));
  scratch.pieces.clear();
  impl.model.Tokenize(scratch.utf8, scratch.char_starts, scratch.pieces);
  for (const Piece& p : scratch.pieces) {
    out.ids.push_back(p.id);
    out.offsets.emplace_back(chars[p.char_begin].begin, chars[p.char_end - 1].end);
  }
}

// Splits a run of non-whitespace characters at punctuation (each punctuation character is its own word).
void EmitChunk(const Tokenizer::Impl& impl, const utf8::DecodedChar* chars, std::size_t n, EncoderScratch& scratch,
               SequenceTokens& out) {
  const Flavor flavor = impl.normalizer.flavor;
  std::size_t start = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (IsPunctuation(chars[i].cp, flavor)) {
      EmitWord(impl, chars + start, i - start, scratch, out);
      EmitWord(impl, chars + i, 1, scratch, out);
      start = i + 1;
    }
  }
  EmitWord(impl, chars + start, n - start, scratch, out);
}

// Pre-tokenizes normalized characters: split on whitespace (dropped), then on punctuation (kept alone).
void EmitNormalized(const Tokenizer::Impl& impl, const utf8::DecodedChar* chars, std::size_t n, EncoderScratch& scratch,
                    SequenceTokens& out) {
  const Flavor flavor = impl.normalizer.flavor;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    if (i < n && !SplitsWords(chars[i].cp, flavor)) continue;
    if (i > start) {
      if (flavor == Flavor::kTransformersSlow && (impl.normalizer.lowercase || impl.normalizer.strip_accents)) {
        // BasicTokenizer lowercases and strips accents word by word, after the whitespace split.
        scratch.word.assign(chars + start, chars + i);
        if (impl.normalizer.lowercase) LowercaseChars(scratch.word, scratch.normalizer, flavor);
        if (impl.normalizer.strip_accents) StripAccents(scratch.word, scratch.normalizer, flavor);
        EmitChunk(impl, scratch.word.data(), scratch.word.size(), scratch, out);  // EmitChunk leaves `word` alone
      } else {
        EmitChunk(impl, chars + start, i - start, scratch, out);
      }
    }
    start = i + 1;
  }
}

void EmitSegment(const Tokenizer::Impl& impl, std::string_view text, std::size_t base, EncoderScratch& scratch,
                 SequenceTokens& out) {
  if (text.empty()) return;
  utf8::DecodeLossy(text, scratch.chars);
  if (base != 0) {
    for (utf8::DecodedChar& c : scratch.chars) {
      c.begin += static_cast<std::uint32_t>(base);
      c.end += static_cast<std::uint32_t>(base);
    }
  }
  if (impl.flavor == Flavor::kTransformersSlow && impl.normalizer.lowercase) {
    // PreTrainedTokenizer.tokenize lowercases every character (outside special tokens) before anything else.
    LowercaseChars(scratch.chars, scratch.normalizer, impl.flavor);
  }
  Normalize(impl.normalizer, scratch.chars, scratch.normalizer);
  std::vector<utf8::DecodedChar> chars;
  chars.swap(scratch.chars);  // keep ownership while the helpers below reuse scratch
  if (impl.normalized_added.empty()) {
    EmitNormalized(impl, chars.data(), chars.size(), scratch, out);
  } else {
    // Added tokens marked normalized=true are matched in the normalized text.
    std::string normalized;
    std::vector<std::uint32_t> starts;
    for (const utf8::DecodedChar& c : chars) {
      starts.push_back(static_cast<std::uint32_t>(normalized.size()));
      utf8::Append(c.cp, normalized);
    }
    starts.push_back(static_cast<std::uint32_t>(normalized.size()));
    std::vector<AddedMatch> matches;
    impl.normalized_added.FindAll(normalized, matches);
    auto char_index = [&](std::size_t byte) {
      return static_cast<std::size_t>(std::lower_bound(starts.begin(), starts.end(), byte) - starts.begin());
    };
    std::size_t pos = 0;
    for (const AddedMatch& m : matches) {
      const std::size_t b = char_index(m.begin);
      const std::size_t e = char_index(m.end);
      EmitNormalized(impl, chars.data() + pos, b - pos, scratch, out);
      out.ids.push_back(m.id);
      out.offsets.emplace_back(chars[b].begin, chars[e - 1].end);
      pos = e;
    }
    EmitNormalized(impl, chars.data() + pos, chars.size() - pos, scratch, out);
  }
  chars.swap(scratch.chars);
}

}  // namespace

EncoderScratch& ThreadScratch() {
  thread_local EncoderScratch scratch;
  return scratch;
}

void EncodeSequence(const Tokenizer::Impl& impl, std::string_view text, EncoderScratch& scratch, SequenceTokens& out) {
  scratch.matches.clear();
  impl.raw_added.FindAll(text, scratch.matches);
  if (scratch.matches.empty()) {
    EmitSegment(impl, text, 0, scratch, out);
    return;
  }
  const std::vector<AddedMatch> matches = scratch.matches;
  std::size_t pos = 0;
  for (const AddedMatch& m : matches) {
    EmitSegment(impl, text.substr(pos, m.begin - pos), pos, scratch, out);
    out.ids.push_back(m.id);
    out.offsets.emplace_back(static_cast<std::uint32_t>(m.begin), static_cast<std::uint32_t>(m.end));
    pos = m.end;
  }
  EmitSegment(impl, text.substr(pos), pos, scratch, out);
}

}  // namespace fastintent::text::detail
