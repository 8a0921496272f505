#pragma once
// fastintent_ngram: the n-gram baseline. TF-IDF over word 1-2-grams and char_wb 1-5-grams (each block
// l2-normalized, then concatenated) feeding a one-vs-rest logistic regression trained with liblinear.
// Mirrors scikit-learn's
//   FeatureUnion([TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
//                 TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True)])
//   + LogisticRegression(solver="liblinear", C=C)
// (lowercase=True, smooth_idf=True, norm="l2", min_df=1, token_pattern r"(?u)\b\w\w+\b"); see
// tools/data/reference_ngram.py and docs/quality.md. No liblinear types in this header.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/data/dataset.h"

namespace fastintent::ngram {

struct NgramOptions {
  std::size_t word_min_n = 1, word_max_n = 2;  // word n-gram range (0 disables the word block)
  std::size_t char_min_n = 1, char_max_n = 5;  // char_wb n-gram range (0 disables the char block)
  std::size_t min_df = 1;                      // drop terms seen in fewer documents
  double c = 10.0;                             // inverse regularization strength (liblinear -c)
  double tolerance = 1e-4;                     // liblinear stopping tolerance (-e), sklearn's tol default
  bool dual = false;  // false: L2R_LR primal (solver 0, sklearn's default); true: L2R_LR_DUAL (7)
  // Multi-label: a label field names several labels separated by `label_separator`; one binary logistic
  // regression per label (present or not), written with config.json "problem_type": "multi_label_classification",
  // so the engine scores each label with its own sigmoid (scikit-learn's OneVsRestClassifier on indicators).
  bool multi_label = false;
  char label_separator = '|';
  double valid_fraction = 0.1;  // multi-label: share held out to choose per-label thresholds (0: 0.5 each)
  std::uint64_t seed = 42;      // of that split
  // A keyboard-layout normalizer table (text/layout_normalizer.h): every text is normalized before its features, and
  // the table is stored in the model directory, so the engine reads texts the way training did. Empty: none.
  std::filesystem::path text_normalizer;
};

struct TrainSummary {
  std::size_t examples = 0;        // trained on
  std::size_t valid_examples = 0;  // held out (multi-label thresholds)
  std::size_t classes = 0;
  std::size_t word_features = 0;
  std::size_t char_features = 0;
  double seconds = 0;  // wall time of vectorizing + liblinear training + writing
};

// Trains on `examples` and writes a model directory at `out` (replaced atomically):
//   config.json   model_type "fastintent-ngram", id2label/label2id, the options, feature counts
//   features.tsv  one line per feature: block ("w" or "c") TAB term TAB idf; the line order is the feature id
//   weights.bin   little-endian float32 [features + 1][classes]; the last row is the bias (intercept) row
// Throws fastintent::InvalidInput for no examples, fewer than 2 labels or bad options; IoError when `out`
// cannot be written.
TrainSummary TrainNgramModel(const std::vector<data::Example>& examples, const NgramOptions& options,
                             const std::filesystem::path& out);

struct NgramPrediction {
  std::string label;  // top-1
  int class_id = 0;
  float score = 0;                   // probability of the top-1 label
  std::vector<float> probabilities;  // per class id; liblinear's predict_probability: sigmoid per class, normalized
};

class NgramClassifier {
 public:
  // Throws InvalidInput / IoError for a missing or inconsistent model directory (names the file).
  static std::shared_ptr<const NgramClassifier> Load(const std::filesystem::path& model_dir);
  // The same for a directory whose config.json is already read (its kind must be ModelKind::kNgram).
  static std::shared_ptr<const NgramClassifier> Load(const checkpoint::ModelDirectory& model_dir);
  virtual ~NgramClassifier() = default;

  // Thread-safe.
  virtual NgramPrediction Predict(std::string_view text) const = 0;
  virtual std::vector<NgramPrediction> PredictBatch(const std::vector<std::string>& texts) const = 0;
  virtual const std::vector<std::string>& labels() const = 0;  // index = class id

  // The two halves of Predict, for callers that featurize and score on different threads (the server's
  // batcher): one feature id per known n-gram occurrence of `text` (repeats kept, unknown n-grams dropped,
  // so the list may be empty), and the prediction from such a list. PredictFeatures(FeatureIds(t)) equals
  // Predict(t). PredictFeatures throws InvalidInput for an id outside [0, feature_count()).
  virtual std::vector<int> FeatureIds(std::string_view text) const = 0;
  virtual NgramPrediction PredictFeatures(const std::vector<int>& feature_ids) const = 0;
  // The raw decision values w·x + b per class id (before any sigmoid): a multi-label model's logits.
  virtual std::vector<float> DecisionValues(const std::vector<int>& feature_ids) const = 0;
  virtual std::size_t feature_count() const = 0;
};

}  // namespace fastintent::ngram
