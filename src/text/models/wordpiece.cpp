#include "models/wordpiece.h"

#include <algorithm>

#include "fastintent/common/error.h"

namespace fastintent::text::detail {

WordPiece::WordPiece(std::vector<std::string> vocab, std::string unk_token, std::string continuing_prefix,
                     std::size_t max_input_chars_per_word)
    : vocab_(std::move(vocab)), prefix_(std::move(continuing_prefix)), max_chars_(max_input_chars_per_word) {
  initial_.reserve(vocab_.size() * 2);
  continuing_.reserve(vocab_.size());
  for (std::size_t i = 0; i < vocab_.size(); ++i) {
    const std::string_view token = vocab_[i];
    const auto id = static_cast<std::int32_t>(i);
    initial_.insert_or_assign(token, id);  // a repeated token keeps its last id, as HF's readers do
    if (!prefix_.empty() && token.size() > prefix_.size() && token.starts_with(prefix_)) {
      const std::string_view rest = token.substr(prefix_.size());
      continuing_.insert_or_assign(rest, id);
      max_token_bytes_ = std::max(max_token_bytes_, rest.size());
    }
    max_token_bytes_ = std::max(max_token_bytes_, token.size());
  }
  const auto unk = initial_.find(unk_token);
  if (unk == initial_.end()) {
    throw InvalidInput("WordPiece: unk_token '" + unk_token + "' is not in the vocabulary (" +
                       std::to_string(vocab_.size()) + " tokens)");
  }
  unk_id_ = unk->second;
}

std::int32_t WordPiece::Find(std::string_view token) const {
  const auto it = initial_.find(token);
  return it == initial_.end() ? -1 : it->second;
}

void WordPiece::Tokenize(std::string_view word, const std::vector<std::uint32_t>& char_starts, std::vector<Piece>& out,
                         ModelScratch& /*scratch*/) const {
  const std::size_t n_chars = char_starts.size() - 1;
  if (n_chars == 0) return;
  if (n_chars > max_chars_) {
    out.push_back({unk_id_, 0, static_cast<std::uint32_t>(n_chars)});
    return;
  }
  const std::size_t first_out = out.size();
  std::size_t start = 0;
  while (start < n_chars) {
    const auto& map = start == 0 ? initial_ : continuing_;
    std::size_t end = n_chars;
    // Skip ends that make a piece longer than any token.
    while (end > start && char_starts[end] - char_starts[start] > max_token_bytes_) --end;
    std::int32_t found = -1;
    for (; end > start; --end) {
      const std::string_view sub = word.substr(char_starts[start], char_starts[end] - char_starts[start]);
      const auto it = map.find(sub);
      if (it != map.end()) {
        found = it->second;
        break;
      }
    }
    if (found < 0) {
      out.resize(first_out);
      out.push_back({unk_id_, 0, static_cast<std::uint32_t>(n_chars)});
      return;
    }
    out.push_back({found, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end)});
    start = end;
  }
}

}  // namespace fastintent::text::detail
