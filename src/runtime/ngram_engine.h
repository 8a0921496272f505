#pragma once
// The n-gram baseline (fastintent_ngram) behind the engine's Classifier interface, so `fastintent predict`
// and `fastintent serve` run an n-gram model directory like a BERT one. Its "tokens" are the model's
// feature ids, one per known n-gram occurrence: the server's batcher tokenizes on request threads and
// scores in batches exactly as it does for BERT. There is no token limit (the whole text is read; the
// server's body limit bounds it), so info().max_length is 0 and nothing is ever truncated.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/ngram/ngram.h"
#include "fastintent/runtime/classifier.h"
#include "model_directory.h"

namespace fastintent::runtime {

class NgramEngine final : public Classifier {
 public:
  // Throws InvalidInput / IoError for a broken model directory (naming the file).
  explicit NgramEngine(const ModelDirectory& model);

  std::vector<Prediction> Classify(const std::vector<std::string>& texts, std::size_t top_k) const override;
  TokenizedText Tokenize(std::string_view text) const override;
  // Throws InvalidInput for a feature id the model does not have.
  std::vector<Prediction> ClassifyTokenized(const std::vector<TokenizedText>& batch,
                                            std::size_t top_k) const override;
  // Log-probabilities: their softmax is the model's probabilities, as for a BERT's logits.
  std::vector<std::vector<float>> Logits(const std::vector<std::string>& texts) const override;

  const ModelInfo& info() const override { return info_; }
  // Throws InvalidInput: an n-gram model has no WordPiece tokenizer.
  const text::Tokenizer& tokenizer() const override;

 private:
  std::vector<float> LogProbabilities(const TokenizedText& text) const;

  ModelInfo info_;
  std::shared_ptr<const ngram::NgramClassifier> model_;
};

}  // namespace fastintent::runtime
