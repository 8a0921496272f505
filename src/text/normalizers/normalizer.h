#pragma once
// The normalizer stage: rewrites the characters of one text segment (the input between two added tokens).
// Every character keeps the byte range [begin, end) of the input it came from, as Hugging Face's
// NormalizedString alignments do, so offsets survive normalization.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/common/utf8.h"

namespace fastintent::text::detail {

using AlignedChars = std::vector<utf8::DecodedChar>;

// One character of a rewritten text and how it relates to the characters it replaces, as in Hugging Face's
// `(char, isize)` transformations: 0 takes the place of the next old character, 1 is inserted (it shares
// the alignment of the character before it), -n takes the place of the next old character and removes the
// n old characters after it.
struct CharChange {
  char32_t cp;
  std::int32_t change;
};

// Reusable buffers, one set per thread.
struct NormalizerScratch {
  AlignedChars tmp;
  std::u32string mapped;
  std::vector<CharChange> changes;
  std::string bytes;
  std::vector<std::uint32_t> offsets;
};

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  // Normalizes `chars` in place.
  virtual void Normalize(AlignedChars& chars, NormalizerScratch& scratch) const = 0;
};

// Normalizes a whole UTF-8 string (invalid bytes become U+FFFD); used for added tokens marked normalized=true,
// which are matched in normalized text and so are normalized themselves first, as tokenizers does.
std::string NormalizeString(const Normalizer& normalizer, std::string_view text);

// Hugging Face's NormalizedString::transform over the whole text: rebuilds `chars` from `changes`, the first
// `initial_removed` old characters being dropped. `tmp` is swapped with `chars`.
void ApplyChanges(AlignedChars& chars, const std::vector<CharChange>& changes, std::size_t initial_removed,
                  AlignedChars& tmp);

// Applies several normalizers in order (Hugging Face's Sequence; nested sequences are flattened at load).
class NormalizerSequence : public Normalizer {
 public:
  explicit NormalizerSequence(std::vector<std::unique_ptr<const Normalizer>> stages) : stages_(std::move(stages)) {}
  void Normalize(AlignedChars& chars, NormalizerScratch& scratch) const override {
    for (const auto& stage : stages_) stage->Normalize(chars, scratch);
  }

 private:
  std::vector<std::unique_ptr<const Normalizer>> stages_;
};

}  // namespace fastintent::text::detail
