#pragma once
// The pre-tokenizer stage: splits one normalized split (a segment, or the part of it between normalized
// added tokens) into the words the model tokenizes one by one. A pre-tokenizer may also rewrite characters
// (Metaspace); every character keeps its alignment to the input.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "normalizers/normalizer.h"

namespace fastintent::text::detail {

// Words stored flat: word i is chars[i == 0 ? 0 : ends[i - 1], ends[i]).
struct Words {
  AlignedChars chars;
  std::vector<std::uint32_t> ends;

  void clear() {
    chars.clear();
    ends.clear();
  }
  std::size_t size() const { return ends.size(); }
  std::span<const utf8::DecodedChar> word(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return {chars.data() + begin, ends[i] - begin};
  }
  // Appends a word; empty words are dropped, as Hugging Face drops empty splits.
  void Add(std::span<const utf8::DecodedChar> word) {
    if (word.empty()) return;
    chars.insert(chars.end(), word.begin(), word.end());
    ends.push_back(static_cast<std::uint32_t>(chars.size()));
  }
};

// Reusable buffers, one set per thread.
struct PreTokenizerScratch {
  Words stages[2];  // PreTokenizerSequence's intermediate results
  AlignedChars tmp;
  NormalizerScratch normalizer;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Appends the words of `text` to `out`. `text` must not point into `out` or into `scratch`.
  virtual void Split(std::span<const utf8::DecodedChar> text, Words& out, PreTokenizerScratch& scratch) const = 0;
};

// Applies pre-tokenizers in order, each to every word the previous one produced (Hugging Face's Sequence;
// nested sequences are flattened at load, so the stages never use `scratch.stages` themselves).
class PreTokenizerSequence : public PreTokenizer {
 public:
  explicit PreTokenizerSequence(std::vector<std::unique_ptr<const PreTokenizer>> stages) : stages_(std::move(stages)) {}
  void Split(std::span<const utf8::DecodedChar> text, Words& out, PreTokenizerScratch& scratch) const override;

 private:
  std::vector<std::unique_ptr<const PreTokenizer>> stages_;
};

// Splits on whitespace (Rust's char::is_whitespace), which is dropped.
class WhitespaceSplit : public PreTokenizer {
 public:
  void Split(std::span<const utf8::DecodedChar> text, Words& out, PreTokenizerScratch& scratch) const override;
};

}  // namespace fastintent::text::detail
