#pragma once
// An ensemble model directory (checkpoint/ensemble_directory.h) behind the Classifier interface: each member
// is an ordinary model directory loaded with Classifier::Load and the same options (an n-gram member ignores
// `quantized`, an ONNX member then runs model_quantized.onnx). A text's probabilities are the members' scores
// (each member's calibrated probabilities, exactly what its Classify reports) mixed with the weights of
// config.json, label by label by name; Logits are the log of that mixture (its softmax gives the mixture back,
// like the n-gram model's log-probabilities), and Classify scores them with the ensemble's own policy (its
// temperature and fallback threshold / margin from its config.json, when set). Every member runs for every
// text, one after another, so the latency is the sum of the members'. A member of weight 0 runs too.
//
// Prepare gives a composite PreparedText: one member input per member, in config order (classifier.h).
// Immutable after construction and thread-safe like its members.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/runtime/classifier.h"
#include "fastintent/runtime/score_mixture.h"
#include "scoring.h"

namespace fastintent::runtime {

class EnsembleClassifier final : public Classifier {
 public:
  // Throws InvalidInput / IoError: a broken ensemble directory (checkpoint::ReadEnsembleMembers), a member that
  // does not load, or options.model_file (one .onnx file cannot stand for several models).
  EnsembleClassifier(const checkpoint::ModelDirectory& model, const ClassifierOptions& options);

  std::vector<Prediction> Classify(const std::vector<std::string>& texts, std::size_t top_k) const override;
  // Log of the mixed probabilities (each at least the smallest normal float, so never -inf).
  std::vector<std::vector<float>> Logits(const std::vector<std::string>& texts) const override;
  PreparedText Prepare(std::string_view text) const override;
  // Throws InvalidInput: an ensemble classifies single texts, not text pairs.
  PreparedText PreparePair(std::string_view first, std::string_view second) const override;
  // Throw InvalidInput for a text that is not one of this ensemble's composites (member count differs).
  std::vector<Prediction> ClassifyPrepared(const std::vector<PreparedText>& batch, std::size_t top_k) const override;
  std::vector<std::vector<float>> LogitsPrepared(const std::vector<PreparedText>& batch) const override;

  const ModelInfo& info() const override { return info_; }

 private:
  struct Member {
    std::shared_ptr<const Classifier> classifier;
    double weight = 0;
  };
  struct Mixture {
    std::vector<std::vector<float>> logits;  // [texts][labels]: log of the mixed probabilities
    std::vector<bool> truncated;             // a member cut the text
  };
  // The mixture of `texts` texts, given predict_all(member index, top_k): that member's predictions of the texts
  // in order, over all its labels. Defined in the .cpp (its only user).
  template <typename PredictAll>
  Mixture Mix(std::size_t texts, PredictAll&& predict_all) const;
  std::vector<Prediction> Score(const Mixture& mixture, std::size_t top_k) const;
  std::vector<PreparedText> MemberBatch(const std::vector<PreparedText>& batch, std::size_t member) const;

  ModelInfo info_;
  ScoringPolicy scoring_;
  std::vector<Member> members_;
  ClassIds class_ids_;  // label -> the ensemble's class id
};

}  // namespace fastintent::runtime
