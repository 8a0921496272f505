#pragma once
// A deterministic stand-in for runtime::Classifier (no ONNX Runtime): token ids are the UTF-8 bytes of the
// text between [CLS]=101 and [SEP]=102, cut at max_length; the prediction is a pure function of the ids,
// so a test can tell whether each text got its own answer whatever batch it ran in.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "fastintent/common/error.h"
#include "fastintent/runtime/classifier.h"

namespace fastintent::serve::testing {

inline std::vector<std::string> FakeLabels() {
  return {"balance", "tariff_change", "internet_down", "card_blocked", "top_up", "roaming", "operator"};
}

inline runtime::PreparedText FakeTokenize(std::string_view text, std::size_t max_length) {
  runtime::PreparedText tokens;
  tokens.ids.push_back(101);
  for (unsigned char c : text) {
    if (tokens.ids.size() + 1 >= max_length) {
      tokens.truncated = true;
      break;
    }
    tokens.ids.push_back(c);
  }
  tokens.ids.push_back(102);
  tokens.type_ids.assign(tokens.ids.size(), 0);
  return tokens;
}

// Scores: label i gets weight (sum of ids + 31 i) mod 97 + 1, normalized; deterministic in the ids.
inline runtime::Prediction FakePredict(const std::vector<std::int64_t>& ids, std::size_t top_k) {
  const auto labels = FakeLabels();
  const std::int64_t sum = std::accumulate(ids.begin(), ids.end(), std::int64_t{0});
  std::vector<runtime::LabelScore> scores;
  double total = 0;
  for (std::size_t i = 0; i < labels.size(); ++i)
    total += static_cast<double>((sum + 31 * static_cast<std::int64_t>(i)) % 97 + 1);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double weight = static_cast<double>((sum + 31 * static_cast<std::int64_t>(i)) % 97 + 1);
    scores.push_back({labels[i], static_cast<float>(weight / total)});
  }
  std::stable_sort(scores.begin(), scores.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  scores.resize(std::min(top_k, scores.size()));
  runtime::Prediction prediction;
  prediction.label = scores.front().label;
  prediction.score = scores.front().score;
  prediction.top = scores;
  return prediction;
}

class FakeClassifier : public runtime::Classifier {
 public:
  // A batch holding a text with `fault_on` in it throws, as a model that cannot run an input would (InvalidInput
  // naming the model's file, like the runtime's own checks).
  FakeClassifier(std::string name, std::string version, std::size_t max_length = 64,
                 std::chrono::microseconds per_batch_delay = std::chrono::microseconds(0), std::string fault_on = "")
      : delay_(per_batch_delay), fault_on_(std::move(fault_on)) {
    info_.name = std::move(name);
    info_.labels = FakeLabels();
    info_.max_length = max_length;
    info_.version = std::move(version);
  }

  std::vector<runtime::Prediction> Classify(const std::vector<std::string>& texts, std::size_t top_k) const override {
    std::vector<runtime::Prediction> out;
    for (const auto& text : texts) {
      auto tokens = Prepare(text);
      out.push_back(FakePredict(tokens.ids, top_k));
      out.back().truncated = tokens.truncated;
    }
    return out;
  }
  runtime::PreparedText Prepare(std::string_view text) const override { return FakeTokenize(text, info_.max_length); }
  // The fake models read bytes: a pair is its two texts joined by a tab.
  runtime::PreparedText PreparePair(std::string_view first, std::string_view second) const override {
    return FakeTokenize(std::string(first) + "\t" + std::string(second), info_.max_length);
  }
  std::vector<runtime::Prediction> ClassifyPrepared(const std::vector<runtime::PreparedText>& batch,
                                                    std::size_t top_k) const override {
    if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
    std::vector<runtime::Prediction> out;
    for (const auto& tokens : batch) {
      if (!fault_on_.empty()) {
        const std::string bytes(tokens.ids.begin(), tokens.ids.end());
        if (bytes.find(fault_on_) != std::string::npos) {
          throw InvalidInput("/models/" + info_.name + "/fake_model.json: the model cannot run this batch");
        }
      }
      out.push_back(FakePredict(tokens.ids, top_k));
      out.back().truncated = tokens.truncated;
    }
    return out;
  }
  std::vector<std::vector<float>> Logits(const std::vector<std::string>&) const override { return {}; }
  std::vector<std::vector<float>> LogitsPrepared(const std::vector<runtime::PreparedText>&) const override {
    return {};
  }
  const runtime::ModelInfo& info() const override { return info_; }

 private:
  runtime::ModelInfo info_;
  std::chrono::microseconds delay_;
  std::string fault_on_;
};

}  // namespace fastintent::serve::testing
