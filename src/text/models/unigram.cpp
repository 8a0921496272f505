#include "models/unigram.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "fastintent/common/error.h"

namespace fastintent::text::detail {
namespace {

// Hugging Face's K_UNK_PENALTY: the unknown piece scores this much below the lowest piece.
constexpr double kUnknownPenalty = 10.0;

}  // namespace

Unigram::Unigram(std::vector<std::string> pieces, std::vector<double> scores, std::int64_t unk_id, bool byte_fallback)
    : pieces_(std::move(pieces)), scores_(std::move(scores)), byte_fallback_(byte_fallback) {
  if (pieces_.empty()) throw InvalidInput("Unigram: got an empty vocabulary, expected at least the unknown piece");
  if (pieces_.size() > 0x7FFFFFFF) throw InvalidInput("Unigram: more than 2^31 pieces");
  if (unk_id < 0 || static_cast<std::size_t>(unk_id) >= pieces_.size()) {
    throw InvalidInput("Unigram: unk_id " + std::to_string(unk_id) + " is outside the vocabulary of " +
                       std::to_string(pieces_.size()) + " pieces");
  }
  unk_id_ = static_cast<std::int32_t>(unk_id);
  double min_score = INFINITY;
  ids_.reserve(pieces_.size());
  for (std::size_t i = 0; i < pieces_.size(); ++i) {
    if (!std::isfinite(scores_[i])) {
      throw InvalidInput("Unigram: piece " + std::to_string(i) + " has a score that is not a finite number");
    }
    min_score = std::min(min_score, scores_[i]);
    ids_.insert_or_assign(std::string_view(pieces_[i]), static_cast<std::int32_t>(i));
  }
  unk_score_ = min_score - kUnknownPenalty;
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    byte_ids_[static_cast<std::size_t>(b)] = Find(name);
  }
  trie_ = PieceTrie(pieces_);
}

std::int32_t Unigram::Find(std::string_view token) const {
  const auto it = ids_.find(token);
  return it == ids_.end() ? -1 : it->second;
}

void Unigram::Tokenize(std::string_view word, const std::vector<std::uint32_t>& char_starts, std::vector<Piece>& out,
                       ModelScratch& scratch) const {
  const std::size_t n = char_starts.size() - 1;
  if (n == 0) return;
  // best_*[i]: the best path over the first i characters (Hugging Face's encode_optimized, indexed by
  // character boundary instead of byte). Candidates arrive by start position, then by length, the unknown
  // piece last; only a strictly better score replaces the current best, which fixes the tie-breaking.
  auto& score = scratch.best_score;
  auto& start = scratch.best_start;
  auto& id = scratch.best_id;
  score.assign(n + 1, 0.0);
  start.assign(n + 1, -1);
  id.assign(n + 1, 0);
  auto offer = [&](std::size_t end, double candidate, std::uint32_t from, std::int32_t piece) {
    if (start[end] < 0 || candidate > score[end]) {
      score[end] = candidate;
      start[end] = static_cast<std::int32_t>(from);
      id[end] = piece;
    }
  };
  for (std::uint32_t i = 0; i < n; ++i) {
    const double base = score[i];
    const std::uint32_t begin = char_starts[i];
    const std::uint32_t single_end = char_starts[i + 1];
    bool has_single = false;
    std::size_t end_char = i;
    trie_.ForEachPrefix(word.substr(begin), [&](std::size_t length, std::int32_t piece) {
      const std::size_t end_byte = begin + length;
      while (end_char < n && char_starts[end_char] < end_byte) ++end_char;
      if (char_starts[end_char] != end_byte) return;  // not a character boundary: impossible for UTF-8 pieces
      offer(end_char, scores_[static_cast<std::size_t>(piece)] + base, i, piece);
      if (end_byte == single_end) has_single = true;
    });
    if (!has_single) offer(i + 1, unk_score_ + base, i, unk_id_);
  }
  // Walk the best path back, then emit it forward with runs of unknown pieces fused.
  auto& path = scratch.reversed;
  path.clear();
  for (std::size_t end = n; end > 0;) {
    const auto from = static_cast<std::uint32_t>(start[end]);
    path.push_back({id[end], from, static_cast<std::uint32_t>(end)});
    end = from;
  }
  for (std::size_t k = path.size(); k > 0;) {
    const Piece& p = path[--k];
    if (p.id != unk_id_) {
      out.push_back(p);
      continue;
    }
    std::uint32_t end = p.char_end;
    while (k > 0 && path[k - 1].id == unk_id_) end = path[--k].char_end;
    EmitUnknown(word, char_starts, p.char_begin, end, out);
  }
}

void Unigram::EmitUnknown(std::string_view word, const std::vector<std::uint32_t>& char_starts, std::uint32_t begin,
                          std::uint32_t end, std::vector<Piece>& out) const {
  // Hugging Face looks the fused text up as a token: it is the unknown piece unless the text happens to be
  // a piece, or byte fallback can spell it.
  const std::string_view text = word.substr(char_starts[begin], char_starts[end] - char_starts[begin]);
  if (const std::int32_t found = Find(text); found >= 0) {
    out.push_back({found, begin, end});
    return;
  }
  if (byte_fallback_ &&
      std::all_of(text.begin(), text.end(), [&](char b) { return byte_ids_[static_cast<std::uint8_t>(b)] >= 0; })) {
    for (char b : text) out.push_back({byte_ids_[static_cast<std::uint8_t>(b)], begin, end});
    return;
  }
  out.push_back({unk_id_, begin, end});
}

}  // namespace fastintent::text::detail
