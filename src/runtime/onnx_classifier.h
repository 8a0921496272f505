#pragma once
// The Classifier over one ONNX Runtime session. Immutable after construction: Ort::Session::Run is
// thread-safe, and every call keeps its input/output buffers on its own stack, so concurrent calls run in
// parallel without a lock.
#include <onnxruntime_cxx_api.h>

#include <memory>
#include <string>
#include <vector>

#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/runtime/classifier.h"
#include "fastintent/text/model_input.h"
#include "fastintent/text/tokenizer.h"
#include "graph_signature.h"
#include "scoring.h"

namespace fastintent::runtime {

class OnnxClassifier final : public Classifier {
 public:
  // Loads the tokenizer and the session (model.onnx, model_quantized.onnx with options.quantized, or
  // options.model_file), checks the graph against config.json (a probe run verifies the logits width when
  // the graph does not declare it). Throws InvalidInput / IoError.
  OnnxClassifier(const checkpoint::ModelDirectory& model, const ClassifierOptions& options);

  std::vector<Prediction> Classify(const std::vector<std::string>& texts, std::size_t top_k) const override;
  std::vector<std::vector<float>> Logits(const std::vector<std::string>& texts) const override;
  PreparedText Prepare(std::string_view text) const override;
  PreparedText PreparePair(std::string_view first, std::string_view second) const override;
  std::vector<Prediction> ClassifyPrepared(const std::vector<PreparedText>& batch, std::size_t top_k) const override;
  std::vector<std::vector<float>> LogitsPrepared(const std::vector<PreparedText>& batch) const override;

  const ModelInfo& info() const override { return info_; }

 private:
  std::vector<PreparedText> PrepareAll(const std::vector<std::string>& texts) const;
  // Logits of every text, in input order; batches planned by length, at most max_batch_size per run.
  std::vector<std::vector<float>> LogitsOf(const std::vector<PreparedText>& texts, std::size_t max_batch_size) const;
  // One session run over `items` padded to a common length; rows in the order of `items`.
  std::vector<std::vector<float>> RunOnce(const std::vector<const PreparedText*>& items) const;
  void Validate(const PreparedText& text) const;

  ModelInfo info_;
  text::Tokenizer tokenizer_;
  text::ModelInput input_;  // the layout normalizer (text_normalizer.json) and the input prefix
  ClassifierOptions options_;
  std::unique_ptr<Ort::Session> session_;  // Run() is non-const in the C++ API but thread-safe in the C API
  GraphSignature signature_;
  ScoringPolicy scoring_;
  std::int64_t pad_id_ = 0;
};

}  // namespace fastintent::runtime
