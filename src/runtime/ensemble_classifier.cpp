#include "ensemble_classifier.h"

#include <cmath>
#include <limits>

#include "content_hash.h"
#include "fastintent/checkpoint/ensemble_directory.h"
#include "fastintent/common/error.h"

namespace fastintent::runtime {

EnsembleClassifier::EnsembleClassifier(const checkpoint::ModelDirectory& model, const ClassifierOptions& options) {
  if (options.model_file) {
    throw InvalidInput(model.dir.string() + ": an ensemble loads each member's own model file; got model_file " +
                       options.model_file->string());
  }
  info_.name = model.name;
  info_.labels = model.labels;
  info_.model_file = model.config_file();
  class_ids_ = ClassIdsOf(info_.labels);
  std::vector<std::string> versions;
  for (const auto& member : checkpoint::ReadEnsembleMembers(model)) {
    // The same options for every member: an n-gram member ignores `quantized` (it has one form).
    auto classifier = Classifier::Load(member.model.dir, options);
    const ModelInfo& member_info = classifier->info();
    const std::size_t limit = member_info.max_length;
    if (limit > 0 && (info_.max_length == 0 || limit < info_.max_length)) info_.max_length = limit;
    info_.quantized = info_.quantized || member_info.quantized;
    info_.text_normalizer = info_.text_normalizer || member_info.text_normalizer;
    // The version changes with any member's model file and with the weights.
    versions.push_back(member.path + "=" + member_info.version + "@" + std::to_string(member.weight));
    members_.push_back({std::move(classifier), member.weight});
  }
  info_.version = TextsContentHash(versions);
  scoring_ = ScoringOf(model, options, info_);
  info_.output_name = "probabilities";
}

template <typename PredictAll>
EnsembleClassifier::Mixture EnsembleClassifier::Mix(std::size_t texts, PredictAll&& predict_all) const {
  const std::size_t labels = info_.labels.size();
  std::vector<std::vector<double>> mixed(texts, std::vector<double>(labels, 0.0));
  Mixture mixture;
  mixture.truncated.assign(texts, false);
  for (std::size_t m = 0; m < members_.size(); ++m) {
    // top_k = every label: the member's Classify then reports the score of each (scoring.h MakePrediction).
    const std::vector<Prediction> predictions = predict_all(m, labels);
    if (predictions.size() != texts) {
      throw Error("ensemble '" + info_.name + "': member " + members_[m].classifier->info().name + " returned " +
                  std::to_string(predictions.size()) + " predictions for " + std::to_string(texts) + " texts");
    }
    for (std::size_t t = 0; t < texts; ++t) {
      mixture.truncated[t] = mixture.truncated[t] || predictions[t].truncated;
      AddWeightedScores(predictions[t], members_[m].weight, class_ids_, mixed[t]);
    }
  }
  // The smallest normal float keeps the log finite when every member gives a label (numerically) zero.
  const double floor = std::numeric_limits<float>::min();
  mixture.logits.reserve(texts);
  for (const auto& row : mixed) {
    std::vector<float> logits;
    logits.reserve(labels);
    for (const double p : row) logits.push_back(static_cast<float>(std::log(std::max(p, floor))));
    mixture.logits.push_back(std::move(logits));
  }
  return mixture;
}

std::vector<Prediction> EnsembleClassifier::Score(const Mixture& mixture, std::size_t top_k) const {
  std::vector<Prediction> out;
  out.reserve(mixture.logits.size());
  for (std::size_t t = 0; t < mixture.logits.size(); ++t) {
    out.push_back(MakePrediction(mixture.logits[t], info_.labels, top_k, mixture.truncated[t], scoring_));
  }
  return out;
}

std::vector<Prediction> EnsembleClassifier::Classify(const std::vector<std::string>& texts, std::size_t top_k) const {
  return Score(Mix(texts.size(),
                   [&](std::size_t m, std::size_t all) { return members_[m].classifier->Classify(texts, all); }),
               top_k);
}

std::vector<std::vector<float>> EnsembleClassifier::Logits(const std::vector<std::string>& texts) const {
  return Mix(texts.size(),
             [&](std::size_t m, std::size_t all) { return members_[m].classifier->Classify(texts, all); })
      .logits;
}

PreparedText EnsembleClassifier::Prepare(std::string_view text) const {
  PreparedText out;
  out.members.reserve(members_.size());
  for (const auto& member : members_) {
    out.members.push_back(member.classifier->Prepare(text));
    out.truncated = out.truncated || out.members.back().truncated;
  }
  return out;
}

PreparedText EnsembleClassifier::PreparePair(std::string_view /*first*/, std::string_view /*second*/) const {
  throw InvalidInput("model '" + info_.name + "': an ensemble classifies single texts, not text pairs");
}

std::vector<PreparedText> EnsembleClassifier::MemberBatch(const std::vector<PreparedText>& batch,
                                                          std::size_t member) const {
  std::vector<PreparedText> out;
  out.reserve(batch.size());
  for (const auto& text : batch) {
    if (text.members.size() != members_.size()) {
      throw InvalidInput("model '" + info_.name + "': a prepared text has " + std::to_string(text.members.size()) +
                         " member inputs, expected " + std::to_string(members_.size()) +
                         " (prepare it with this ensemble's Prepare)");
    }
    out.push_back(text.members[member]);
  }
  return out;
}

std::vector<Prediction> EnsembleClassifier::ClassifyPrepared(const std::vector<PreparedText>& batch,
                                                             std::size_t top_k) const {
  return Score(Mix(batch.size(),
                   [&](std::size_t m, std::size_t all) {
                     return members_[m].classifier->ClassifyPrepared(MemberBatch(batch, m), all);
                   }),
               top_k);
}

std::vector<std::vector<float>> EnsembleClassifier::LogitsPrepared(const std::vector<PreparedText>& batch) const {
  return Mix(batch.size(),
             [&](std::size_t m, std::size_t all) {
               return members_[m].classifier->ClassifyPrepared(MemberBatch(batch, m), all);
             })
      .logits;
}

}  // namespace fastintent::runtime
