#include "ngram_engine.h"

#include <cmath>
#include <limits>

#include "content_hash.h"
#include "fastintent/common/error.h"
#include "scoring.h"

namespace fastintent::runtime {

NgramEngine::NgramEngine(const ModelDirectory& model) : model_(ngram::NgramClassifier::Load(model.dir)) {
  if (model_->labels() != model.labels) {
    throw InvalidInput((model.dir / "config.json").string() + ": id2label does not match the n-gram model's labels");
  }
  info_.name = model.name;
  info_.labels = model.labels;
  info_.max_length = 0;
  info_.quantized = false;
  info_.version = FilesContentHash({model.dir / "config.json", model.dir / "features.tsv", model.model_file});
  info_.model_file = model.model_file;
  info_.fallback_threshold = model.fallback_threshold;
  info_.output_name = "probabilities";
}

TokenizedText NgramEngine::Tokenize(std::string_view text) const {
  TokenizedText out;
  const auto ids = model_->FeatureIds(text);
  out.ids.assign(ids.begin(), ids.end());
  return out;
}

std::vector<float> NgramEngine::LogProbabilities(const TokenizedText& text) const {
  std::vector<int> ids;
  ids.reserve(text.ids.size());
  for (const std::int64_t id : text.ids) {
    if (id < 0 || id > std::numeric_limits<int>::max()) {
      throw InvalidInput("n-gram feature id " + std::to_string(id) + " is out of range");
    }
    ids.push_back(static_cast<int>(id));
  }
  auto probabilities = model_->PredictFeatures(ids).probabilities;
  for (float& p : probabilities) p = std::log(p);
  return probabilities;
}

std::vector<Prediction> NgramEngine::ClassifyTokenized(const std::vector<TokenizedText>& batch,
                                                       std::size_t top_k) const {
  std::vector<Prediction> out;
  out.reserve(batch.size());
  for (const auto& text : batch) out.push_back(MakePrediction(LogProbabilities(text), info_.labels, top_k, false));
  return out;
}

std::vector<Prediction> NgramEngine::Classify(const std::vector<std::string>& texts, std::size_t top_k) const {
  std::vector<TokenizedText> tokenized;
  tokenized.reserve(texts.size());
  for (const auto& text : texts) tokenized.push_back(Tokenize(text));
  return ClassifyTokenized(tokenized, top_k);
}

std::vector<std::vector<float>> NgramEngine::Logits(const std::vector<std::string>& texts) const {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const auto& text : texts) out.push_back(LogProbabilities(Tokenize(text)));
  return out;
}

const text::Tokenizer& NgramEngine::tokenizer() const {
  throw InvalidInput("model '" + info_.name + "' is an n-gram model: it has no WordPiece tokenizer");
}

}  // namespace fastintent::runtime
