#include "tfidf.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "fastintent/common/error.h"
#include "text_features.h"

namespace fastintent::ngram::detail {
namespace {

struct Analyzed {
  std::vector<std::string> word;
  std::vector<std::string> chars;
};

Analyzed Analyze(std::string_view text, const NgramOptions& options) {
  const std::u32string lowered = LowercaseCodePoints(text);
  return {WordNgrams(lowered, options.word_min_n, options.word_max_n),
          CharWbNgrams(lowered, options.char_min_n, options.char_max_n)};
}

TfidfBlock FitBlock(const std::vector<std::vector<std::string>>& documents, std::size_t min_df) {
  std::map<std::string, std::size_t> document_frequency;  // ordered: feature ids follow term order
  for (const auto& terms : documents) {
    std::vector<std::string> unique = terms;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    for (auto& term : unique) ++document_frequency[std::move(term)];
  }
  TfidfBlock block;
  const double n = static_cast<double>(documents.size());
  for (const auto& [term, df] : document_frequency) {
    if (df < min_df) continue;
    block.Add(term, std::log((1.0 + n) / (1.0 + static_cast<double>(df))) + 1.0);
  }
  return block;
}

void AppendKnown(const TfidfBlock& block, const std::vector<std::string>& terms, int offset, std::vector<int>& out) {
  for (const auto& term : terms) {
    if (auto it = block.index.find(term); it != block.index.end()) out.push_back(it->second + offset);
  }
}

// Appends the normalized tf-idf entries of one block's id counts (ids already shifted by `offset`).
void AppendBlock(const TfidfBlock& block, const std::map<int, std::size_t>& counts, int offset, SparseVector& out) {
  double norm = 0;
  const std::size_t first = out.size();
  for (const auto& [id, count] : counts) {
    const double value =
        (1.0 + std::log(static_cast<double>(count))) * block.idf[static_cast<std::size_t>(id - offset)];
    out.push_back({id, value});
    norm += value * value;
  }
  if (norm > 0) {
    norm = std::sqrt(norm);
    for (std::size_t i = first; i < out.size(); ++i) out[i].value /= norm;
  }
}

}  // namespace

void TfidfBlock::Add(std::string term, double term_idf) {
  index.emplace(term, static_cast<int>(terms.size()));
  terms.push_back(std::move(term));
  idf.push_back(term_idf);
}

FeatureSpace::FeatureSpace(NgramOptions options, TfidfBlock word, TfidfBlock chars)
    : options_(options), word_(std::move(word)), char_(std::move(chars)) {}

FeatureSpace FeatureSpace::Fit(const std::vector<std::string>& texts, const NgramOptions& options) {
  std::vector<std::vector<std::string>> word_docs, char_docs;
  word_docs.reserve(texts.size());
  char_docs.reserve(texts.size());
  for (const auto& text : texts) {
    auto analyzed = Analyze(text, options);
    word_docs.push_back(std::move(analyzed.word));
    char_docs.push_back(std::move(analyzed.chars));
  }
  return FeatureSpace(options, FitBlock(word_docs, options.min_df), FitBlock(char_docs, options.min_df));
}

SparseVector FeatureSpace::Transform(std::string_view text) const { return FromFeatureIds(FeatureIds(text)); }

std::vector<int> FeatureSpace::FeatureIds(std::string_view text) const {
  const auto analyzed = Analyze(text, options_);
  std::vector<int> ids;
  ids.reserve(analyzed.word.size() + analyzed.chars.size());
  AppendKnown(word_, analyzed.word, 0, ids);
  AppendKnown(char_, analyzed.chars, static_cast<int>(word_.terms.size()), ids);
  return ids;
}

SparseVector FeatureSpace::FromFeatureIds(const std::vector<int>& feature_ids) const {
  const int word_size = static_cast<int>(word_.terms.size());
  const int total = static_cast<int>(size());
  std::map<int, std::size_t> word_counts, char_counts;
  for (const int id : feature_ids) {
    if (id < 0 || id >= total) {
      throw InvalidInput("n-gram feature id " + std::to_string(id) + " is outside [0, " + std::to_string(total) + ")");
    }
    ++(id < word_size ? word_counts : char_counts)[id];
  }
  SparseVector out;
  AppendBlock(word_, word_counts, 0, out);
  AppendBlock(char_, char_counts, word_size, out);
  return out;
}

}  // namespace fastintent::ngram::detail
