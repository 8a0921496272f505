#pragma once
// The n-gram baseline (fastintent_ngram) behind the engine's Classifier interface, so `fastintent predict`,
// `eval` and `serve` run an n-gram model directory like a BERT one. Prepare gives the model's known n-gram
// feature ids (one per occurrence): the server's batcher prepares texts on request threads and scores them in
// batches exactly as it does for BERT. There is no token limit (the whole text is read; the server's body
// limit bounds it), so info().max_length is 0 and nothing is ever truncated.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/ngram/ngram.h"
#include "fastintent/runtime/classifier.h"
#include "scoring.h"

namespace fastintent::runtime {

class NgramEngine final : public Classifier {
 public:
  // Throws InvalidInput / IoError for a broken model directory (naming the file).
  NgramEngine(const checkpoint::ModelDirectory& model, const ClassifierOptions& options);

  std::vector<Prediction> Classify(const std::vector<std::string>& texts, std::size_t top_k) const override;
  // Log-probabilities: their softmax is the model's probabilities, as for a BERT's logits.
  std::vector<std::vector<float>> Logits(const std::vector<std::string>& texts) const override;
  PreparedText Prepare(std::string_view text) const override;
  // Throws InvalidInput: the n-gram model reads one text, it has no pair encoding.
  PreparedText PreparePair(std::string_view first, std::string_view second) const override;
  // Throw InvalidInput for a feature id the model does not have.
  std::vector<Prediction> ClassifyPrepared(const std::vector<PreparedText>& batch, std::size_t top_k) const override;
  std::vector<std::vector<float>> LogitsPrepared(const std::vector<PreparedText>& batch) const override;

  const ModelInfo& info() const override { return info_; }

 private:
  // Single-label: log-probabilities; multi-label: the decision value of each label's own logistic regression.
  std::vector<float> ModelLogits(const PreparedText& text) const;

  ModelInfo info_;
  ScoringPolicy scoring_;
  std::shared_ptr<const ngram::NgramClassifier> model_;
};

}  // namespace fastintent::runtime
