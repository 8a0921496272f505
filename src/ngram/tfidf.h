#pragma once
// TF-IDF feature space of the n-gram baseline (internal): a word block and a char_wb block, each with its
// own vocabulary and idf, each l2-normalized on its own (as sklearn's FeatureUnion of two
// TfidfVectorizers does), concatenated as [word features | char features].
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fastintent/ngram/ngram.h"

namespace fastintent::ngram::detail {

struct SparseEntry {
  int index = 0;  // 0-based feature id
  double value = 0;
};
using SparseVector = std::vector<SparseEntry>;  // sorted by index

struct TfidfBlock {
  std::vector<std::string> terms;  // feature id (within the block) → term
  std::vector<double> idf;
  std::unordered_map<std::string, int> index;

  void Add(std::string term, double term_idf);
};

class FeatureSpace {
 public:
  // Fits vocabularies and idf: idf = ln((1 + n) / (1 + df)) + 1 (smooth_idf=True); terms sorted by
  // their UTF-8 bytes (code point order, as sklearn sorts its vocabulary).
  static FeatureSpace Fit(const std::vector<std::string>& texts, const NgramOptions& options);
  // Rebuilds a fitted space from stored terms and idf.
  FeatureSpace(NgramOptions options, TfidfBlock word, TfidfBlock chars);

  // Sublinear tf (1 + ln count) × idf, l2-normalized per block; unknown terms are ignored.
  // Transform(t) == FromFeatureIds(FeatureIds(t)).
  SparseVector Transform(std::string_view text) const;
  // One feature id per known n-gram occurrence of `text` (repeats kept), word block first.
  std::vector<int> FeatureIds(std::string_view text) const;
  // The tf-idf vector of a multiset of feature ids. Throws InvalidInput for an id outside [0, size()).
  SparseVector FromFeatureIds(const std::vector<int>& feature_ids) const;

  std::size_t size() const { return word_.terms.size() + char_.terms.size(); }
  const TfidfBlock& word_block() const { return word_; }
  const TfidfBlock& char_block() const { return char_; }

 private:
  NgramOptions options_;
  TfidfBlock word_;
  TfidfBlock char_;
};

}  // namespace fastintent::ngram::detail
