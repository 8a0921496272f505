#pragma once
// Keyboard-layout and transliteration normalizer for Russian chat text (docs/normalizer.md). A run of Latin words
// typed with the QWERTY layout on ("gjkexbncz kb" = «получится ли») or transliterated ("internet ne rabotaet") is
// rewritten in Cyrillic when a unigram language model (a SentencePiece vocabulary's one-script pieces with their
// log-probabilities, stored in the table file) finds that reading more plausible than the Latin one; English is
// left alone. A model directory that has text_normalizer.json applies it to every text before its tokenizer or
// n-gram features, at training, eval, predict and serve time alike.
//
// The algorithm is stated once in tools/text/layout_normalizer.py (the reference); this port follows it step for
// step and ctest text.layout_normalizer_goldens checks that both give the same text.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace fastintent::text {

inline constexpr const char* kTextNormalizerFile = "text_normalizer.json";

class LayoutNormalizer {
 public:
  // Reads a table file written by `tools/text/layout_normalizer.py build`. Throws IoError (unreadable) or
  // InvalidInput (not such a table, or a field missing or of the wrong type), naming the file and the field.
  static LayoutNormalizer FromFile(const std::filesystem::path& path);

  LayoutNormalizer(LayoutNormalizer&&) noexcept;
  LayoutNormalizer& operator=(LayoutNormalizer&&) noexcept;
  ~LayoutNormalizer();

  // The text with each Latin run in its most plausible reading. A text without an ASCII letter comes back byte for
  // byte; tokens outside a rewritten run keep their bytes (invalid UTF-8 included). Thread-safe (const).
  std::string Normalize(std::string_view text) const;

 private:
  struct Tables;
  explicit LayoutNormalizer(std::unique_ptr<Tables> tables);
  std::unique_ptr<Tables> tables_;
};

}  // namespace fastintent::text
