#include "ngram_engine.h"

#include <cmath>
#include <limits>

#include "content_hash.h"
#include "fastintent/common/error.h"
#include "scoring.h"

namespace fastintent::runtime {

NgramEngine::NgramEngine(const checkpoint::ModelDirectory& model, const ClassifierOptions& options)
    : model_(ngram::NgramClassifier::Load(model)) {
  info_.name = model.name;
  info_.labels = model.labels;
  info_.max_length = 0;
  info_.quantized = false;  // an n-gram model has one form (ClassifierOptions::quantized does not apply)
  info_.model_file = model.dir / "weights.bin";
  info_.version = FilesContentHash({model.config_file(), model.dir / "features.tsv", info_.model_file});
  scoring_ = ScoringOf(model, options, info_);
  info_.output_name = "probabilities";
}

PreparedText NgramEngine::Prepare(std::string_view text) const {
  PreparedText out;
  const auto ids = model_->FeatureIds(text);
  out.ids.assign(ids.begin(), ids.end());
  return out;
}

PreparedText NgramEngine::PreparePair(std::string_view /*first*/, std::string_view /*second*/) const {
  throw InvalidInput("model '" + info_.name + "': an n-gram model classifies single texts, not text pairs");
}

std::vector<float> NgramEngine::ModelLogits(const PreparedText& text) const {
  std::vector<int> ids;
  ids.reserve(text.ids.size());
  for (const std::int64_t id : text.ids) {
    if (id < 0 || id > std::numeric_limits<int>::max()) {
      throw InvalidInput("n-gram feature id " + std::to_string(id) + " is out of range");
    }
    ids.push_back(static_cast<int>(id));
  }
  // A multi-label model's labels are independent: its logits are the decision values, scored with a sigmoid each.
  if (info_.multi_label) return model_->DecisionValues(ids);
  auto probabilities = model_->PredictFeatures(ids).probabilities;
  for (float& p : probabilities) p = std::log(p);
  return probabilities;
}

std::vector<Prediction> NgramEngine::ClassifyPrepared(const std::vector<PreparedText>& batch, std::size_t top_k) const {
  std::vector<Prediction> out;
  out.reserve(batch.size());
  for (const auto& text : batch) out.push_back(MakePrediction(ModelLogits(text), info_.labels, top_k, false, scoring_));
  return out;
}

std::vector<Prediction> NgramEngine::Classify(const std::vector<std::string>& texts, std::size_t top_k) const {
  std::vector<PreparedText> prepared;
  prepared.reserve(texts.size());
  for (const auto& text : texts) prepared.push_back(Prepare(text));
  return ClassifyPrepared(prepared, top_k);
}

std::vector<std::vector<float>> NgramEngine::Logits(const std::vector<std::string>& texts) const {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const auto& text : texts) out.push_back(ModelLogits(Prepare(text)));
  return out;
}

std::vector<std::vector<float>> NgramEngine::LogitsPrepared(const std::vector<PreparedText>& batch) const {
  std::vector<std::vector<float>> out;
  out.reserve(batch.size());
  for (const auto& text : batch) out.push_back(ModelLogits(text));
  return out;
}

}  // namespace fastintent::runtime
