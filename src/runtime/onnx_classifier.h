#pragma once
// The Classifier over one ONNX Runtime session. Immutable after construction: Ort::Session::Run is
// thread-safe, and every call keeps its input/output buffers on its own stack, so concurrent calls run in
// parallel without a lock.
#include <memory>
#include <string>
#include <vector>

#include <onnxruntime_cxx_api.h>

#include "fastintent/runtime/classifier.h"
#include "fastintent/text/tokenizer.h"
#include "graph_signature.h"
#include "model_directory.h"

namespace fastintent::runtime {

class OnnxClassifier final : public Classifier {
 public:
  // Loads the tokenizer and the session, checks the graph against config.json (a probe run verifies the
  // logits width when the graph does not declare it). Throws InvalidInput / IoError.
  OnnxClassifier(const ModelDirectory& model, const ClassifierOptions& options);

  std::vector<Prediction> Classify(const std::vector<std::string>& texts, std::size_t top_k) const override;
  TokenizedText Tokenize(std::string_view text) const override;
  std::vector<Prediction> ClassifyTokenized(const std::vector<TokenizedText>& batch,
                                            std::size_t top_k) const override;
  std::vector<std::vector<float>> Logits(const std::vector<std::string>& texts) const override;

  const ModelInfo& info() const override { return info_; }
  const text::Tokenizer& tokenizer() const override { return tokenizer_; }

 private:
  std::vector<TokenizedText> TokenizeAll(const std::vector<std::string>& texts) const;
  // Logits of every text, in input order; batches planned by length, at most max_batch_size per run.
  std::vector<std::vector<float>> LogitsOf(const std::vector<TokenizedText>& texts, std::size_t max_batch_size) const;
  // One session run over `items` padded to a common length; rows in the order of `items`.
  std::vector<std::vector<float>> RunOnce(const std::vector<const TokenizedText*>& items) const;
  void Validate(const TokenizedText& text) const;

  ModelInfo info_;
  text::Tokenizer tokenizer_;
  ClassifierOptions options_;
  std::unique_ptr<Ort::Session> session_;  // Run() is non-const in the C++ API but thread-safe in the C API
  GraphSignature signature_;
  std::int64_t pad_id_ = 0;
};

}  // namespace fastintent::runtime
