#pragma once
// fastintent_text: a BERT WordPiece tokenizer that gives the same ids as Hugging Face `tokenizers`.
// Public contract shared by runtime, serve, train, bench. Only std types here.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fastintent::text {

enum class PaddingStrategy { kNone, kLongest, kMaxLength };
enum class Side { kRight, kLeft };
enum class TruncationStrategy { kLongestFirst, kOnlyFirst, kOnlySecond };

// Options for one encode call. Unset optionals mean "as the tokenizer files say" (a tokenizer.json may
// carry saved truncation/padding, as Hugging Face honours them); a set value overrides the file.
struct EncodeOptions {
  std::optional<std::size_t> max_length;   // truncate to this many tokens, special tokens included
  std::optional<bool> truncation;          // false disables saved truncation
  std::optional<PaddingStrategy> padding;  // kNone disables saved padding
  std::optional<std::size_t> pad_to_multiple_of;
  bool add_special_tokens = true;
  bool with_offsets = false;  // fill Encoding::offsets
  bool with_tokens = false;   // fill Encoding::tokens
};

struct Encoding {
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> attention_mask;
  std::vector<std::int64_t> type_ids;
  std::vector<std::string> tokens;                           // only with EncodeOptions::with_tokens
  std::vector<std::pair<std::size_t, std::size_t>> offsets;  // byte [begin, end) in the input; (0,0) for specials
  bool truncated = false;                                    // some tokens were cut by truncation
  std::size_t length() const { return ids.size(); }
};

class Tokenizer {
 public:
  // Loads a directory (tokenizer.json, else vocab.txt + tokenizer_config.json) or a tokenizer.json file.
  // Throws fastintent::InvalidInput / IoError with the path and the reason.
  static Tokenizer Load(const std::filesystem::path& path);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Thread-safe: a loaded Tokenizer is immutable; any number of threads may call these at once.
  // No text makes these throw: each invalid UTF-8 sequence becomes U+FFFD (docs/tokenizer.md). They throw
  // fastintent::InvalidInput only for impossible options: max_length below the number of special tokens,
  // padding/truncation asked without any length, or only_first/only_second truncation of a too short sequence
  // (tokenizers fails there too).
  Encoding Encode(std::string_view text, const EncodeOptions& options = {}) const;
  Encoding EncodePair(std::string_view first, std::string_view second, const EncodeOptions& options = {}) const;
  // Batch: padding kLongest pads to the longest in the batch. Uses up to `threads` threads (0 = 1).
  std::vector<Encoding> EncodeBatch(const std::vector<std::string>& texts, const EncodeOptions& options = {},
                                    std::size_t threads = 1) const;

  std::int64_t pad_id() const;
  std::optional<std::int64_t> TokenToId(std::string_view token) const;
  std::string IdToToken(std::int64_t id) const;
  std::size_t vocab_size() const;
  // The truncation max_length saved in the tokenizer files (tokenizer.json truncation, or
  // tokenizer_config.json model_max_length when sane), if any.
  std::optional<std::size_t> saved_max_length() const;

  struct Impl;  // opaque: defined and used only inside src/text

 private:
  explicit Tokenizer(std::unique_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace fastintent::text
