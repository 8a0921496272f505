#pragma once
// Reading and writing the n-gram model directory (internal; the layout is documented in ngram.h).
#include <filesystem>
#include <string>
#include <vector>

#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/ngram/ngram.h"
#include "tfidf.h"

namespace fastintent::ngram::detail {

struct StoredModel {
  NgramOptions options;
  std::vector<std::string> labels;  // class id → label
  TfidfBlock word;
  TfidfBlock chars;
  std::vector<float> weights;            // [features + 1][classes], bias row last
  std::vector<double> label_thresholds;  // multi-label: one per class, written as fastintent_label_thresholds
};

// The linear model's decision value per class for one feature vector: the bias row plus the weighted features, with
// `weights` laid out [features + 1][classes] as StoredModel::weights and `features` from a FeatureSpace of
// `feature_count` features.
std::vector<double> DecisionValues(const SparseVector& features, const std::vector<float>& weights, std::size_t classes,
                                   std::size_t feature_count);

// Writes config.json, features.tsv and weights.bin into `dir` (an existing, empty directory).
void WriteModelFiles(const std::filesystem::path& dir, const StoredModel& model);

// Reads features.tsv and weights.bin beside the already read config.json. Throws InvalidInput (naming the
// file) for a directory that is not an n-gram model, a malformed "ngram" block or line, or a weights file
// whose size does not match the feature and class counts; IoError when a file cannot be read.
StoredModel ReadModelFiles(const checkpoint::ModelDirectory& model);

}  // namespace fastintent::ngram::detail
