// NgramClassifier: a loaded n-gram model; prediction is a sparse dot product with the stored weights,
// turned into probabilities the way liblinear's predict_probability does for logistic regression
// (a sigmoid per class, normalized to sum 1 when there are more than two classes).
#include <algorithm>
#include <cmath>

#include "fastintent/common/error.h"
#include "fastintent/text/model_input.h"
#include "stored_model.h"
#include "tfidf.h"

namespace fastintent::ngram {
namespace {

class LoadedNgramClassifier final : public NgramClassifier {
 public:
  LoadedNgramClassifier(detail::StoredModel model, text::ModelInput input)
      : input_(std::move(input)),
        labels_(std::move(model.labels)),
        space_(model.options, std::move(model.word), std::move(model.chars)),
        weights_(std::move(model.weights)) {}

  NgramPrediction Predict(std::string_view text) const override { return Score(space_.Transform(input_.Format(text))); }

  std::vector<int> FeatureIds(std::string_view text) const override { return space_.FeatureIds(input_.Format(text)); }

  NgramPrediction PredictFeatures(const std::vector<int>& feature_ids) const override {
    return Score(space_.FromFeatureIds(feature_ids));
  }

  std::vector<float> DecisionValues(const std::vector<int>& feature_ids) const override {
    const auto decision = Decision(space_.FromFeatureIds(feature_ids));
    return {decision.begin(), decision.end()};
  }

  std::size_t feature_count() const override { return space_.size(); }

  std::vector<NgramPrediction> PredictBatch(const std::vector<std::string>& texts) const override {
    std::vector<NgramPrediction> out;
    out.reserve(texts.size());
    for (const auto& text : texts) out.push_back(Predict(text));
    return out;
  }

  const std::vector<std::string>& labels() const override { return labels_; }

 private:
  std::vector<double> Decision(const detail::SparseVector& features) const {
    return detail::DecisionValues(features, weights_, labels_.size(), space_.size());
  }

  NgramPrediction Score(const detail::SparseVector& features) const {
    const std::size_t k = labels_.size();
    std::vector<double> decision = Decision(features);
    NgramPrediction prediction;
    prediction.probabilities.resize(k);
    double sum = 0;
    for (std::size_t c = 0; c < k; ++c) {
      decision[c] = 1.0 / (1.0 + std::exp(-decision[c]));
      sum += decision[c];
    }
    for (std::size_t c = 0; c < k; ++c) prediction.probabilities[c] = static_cast<float>(decision[c] / sum);
    const auto best = std::max_element(decision.begin(), decision.end()) - decision.begin();
    prediction.class_id = static_cast<int>(best);
    prediction.label = labels_[static_cast<std::size_t>(best)];
    prediction.score = prediction.probabilities[static_cast<std::size_t>(best)];
    return prediction;
  }

  text::ModelInput input_;  // text_normalizer.json of the model directory, when it has one
  std::vector<std::string> labels_;
  detail::FeatureSpace space_;
  std::vector<float> weights_;
};

}  // namespace

std::shared_ptr<const NgramClassifier> NgramClassifier::Load(const checkpoint::ModelDirectory& model_dir) {
  return std::make_shared<LoadedNgramClassifier>(detail::ReadModelFiles(model_dir),
                                                 text::ModelInput::ForModel(model_dir.dir, model_dir.input_prefix));
}

std::shared_ptr<const NgramClassifier> NgramClassifier::Load(const std::filesystem::path& model_dir) {
  return Load(checkpoint::ReadModelDirectory(model_dir));
}

}  // namespace fastintent::ngram
