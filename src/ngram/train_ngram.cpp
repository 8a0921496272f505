// TrainNgramModel: TF-IDF features → liblinear one-vs-rest logistic regression → model directory.
#include <linear.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "fastintent/common/atomic_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/data/multi_label.h"
#include "fastintent/text/model_input.h"
#include "stored_model.h"
#include "tfidf.h"

namespace fastintent::ngram {
namespace {

void Quiet(const char*) {}  // liblinear prints its iterations to stdout unless given a print function

void CheckOptions(const NgramOptions& o) {
  if (o.word_min_n == 0 && o.char_min_n == 0)
    throw InvalidInput("ngram options: both word and char blocks are disabled");
  if (o.word_min_n > o.word_max_n || o.char_min_n > o.char_max_n) {
    throw InvalidInput("ngram options: an n-gram range has min > max (word " + std::to_string(o.word_min_n) + ".." +
                       std::to_string(o.word_max_n) + ", char " + std::to_string(o.char_min_n) + ".." +
                       std::to_string(o.char_max_n) + ")");
  }
  if (!(o.c > 0)) throw InvalidInput("ngram options: C: got " + std::to_string(o.c) + ", expected > 0");
  if (!(o.tolerance > 0))
    throw InvalidInput("ngram options: tolerance: got " + std::to_string(o.tolerance) + ", expected > 0");
  if (o.min_df == 0) throw InvalidInput("ngram options: min_df: got 0, expected >= 1");
}

struct ModelDeleter {
  void operator()(model* m) const { free_and_destroy_model(&m); }
};

// The liblinear problem over the texts' features: 1-based feature indices, a bias feature (index features + 1,
// value 1) per row, each row terminated by index -1. prob.y is left to the caller.
struct LinearProblem {
  std::vector<std::vector<feature_node>> rows;
  std::vector<feature_node*> row_pointers;
  problem prob{};
};

void FillProblem(const detail::FeatureSpace& space, const std::vector<std::string>& texts, LinearProblem& out) {
  const int features = static_cast<int>(space.size());
  out.rows.assign(texts.size(), {});
  out.row_pointers.assign(texts.size(), nullptr);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (const auto& entry : space.Transform(texts[i])) out.rows[i].push_back({entry.index + 1, entry.value});
    out.rows[i].push_back({features + 1, 1.0});
    out.rows[i].push_back({-1, 0.0});
    out.row_pointers[i] = out.rows[i].data();
  }
  out.prob.l = static_cast<int>(texts.size());
  out.prob.n = features + 1;
  out.prob.x = out.row_pointers.data();
  out.prob.bias = 1.0;
}

std::unique_ptr<model, ModelDeleter> Train(problem& prob, const NgramOptions& options) {
  parameter param{};
  param.solver_type = options.dual ? L2R_LR_DUAL : L2R_LR;
  param.eps = options.tolerance;
  param.C = options.c;
  param.nr_weight = 0;
  param.p = 0.1;
  set_print_string_function(&Quiet);
  if (const char* problem_text = check_parameter(&prob, &param)) {
    throw InvalidInput(std::string("liblinear rejected the parameters: ") + problem_text);
  }
  return std::unique_ptr<model, ModelDeleter>(train(&prob, &param));
}

// Multi-label: one binary logistic regression per label (target 1 = the text carries it), its decision values in
// that label's column. liblinear keeps one weight vector for the class it saw first; when that is "absent", the
// vector is negated so that a positive value always means "present".
void TrainPerLabel(const std::vector<data::Example>& examples, const NgramOptions& options,
                   const std::vector<std::string>& labels, LinearProblem& linear, std::vector<float>& weights) {
  const std::size_t k = labels.size();
  const std::size_t rows_out = static_cast<std::size_t>(linear.prob.n);
  std::vector<std::vector<std::string>> text_labels;
  for (const auto& e : examples) text_labels.push_back(data::SplitLabels(e.label, options.label_separator));
  std::vector<double> targets(examples.size());
  linear.prob.y = targets.data();
  for (std::size_t c = 0; c < k; ++c) {
    std::size_t present = 0;
    for (std::size_t i = 0; i < examples.size(); ++i) {
      const auto& mine = text_labels[i];
      targets[i] = std::find(mine.begin(), mine.end(), labels[c]) != mine.end() ? 1.0 : 0.0;
      present += targets[i] > 0;
    }
    if (present == examples.size()) {
      throw InvalidInput("ngram training: label \"" + labels[c] + "\" is on every text; nothing to learn for it");
    }
    if (present == 0) {  // only in the held-out split: never answered (sigmoid(-10) = 4.5e-5)
      weights[(rows_out - 1) * k + c] = -10.0f;
      continue;
    }
    const auto trained = Train(linear.prob, options);
    const double sign = trained->label[0] == 1 ? 1.0 : -1.0;
    for (std::size_t f = 0; f < rows_out; ++f) weights[f * k + c] = static_cast<float>(sign * trained->w[f]);
  }
}

// Per label, the sigmoid of its decision value on each text: a multi-label model's probabilities.
std::vector<std::vector<float>> LabelProbabilities(const detail::FeatureSpace& space, const std::vector<float>& weights,
                                                   std::size_t k, const std::vector<data::Example>& examples) {
  std::vector<std::vector<float>> out;
  for (const auto& example : examples) {
    const auto decision = detail::DecisionValues(space.Transform(example.text), weights, k, space.size());
    std::vector<float> row(k);
    for (std::size_t c = 0; c < k; ++c) row[c] = static_cast<float>(1.0 / (1.0 + std::exp(-decision[c])));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

TrainSummary TrainNgramModel(const std::vector<data::Example>& given, const NgramOptions& options,
                             const std::filesystem::path& out) {
  const auto started = std::chrono::steady_clock::now();
  CheckOptions(options);
  std::shared_ptr<const text::LayoutNormalizer> normalizer;
  if (!options.text_normalizer.empty()) normalizer = text::LoadLayoutNormalizer(options.text_normalizer);
  std::vector<data::Example> normalized;
  if (normalizer) {
    normalized = given;
    for (auto& example : normalized) example.text = normalizer->Normalize(example.text);
  }
  const std::vector<data::Example>& examples = normalizer ? normalized : given;
  if (examples.empty()) throw InvalidInput("ngram training: got 0 examples, expected labelled texts");
  const auto labels =
      options.multi_label ? data::MultiLabelSet(examples, options.label_separator) : data::LabelSet(examples);
  if (labels.size() < 2) {
    throw InvalidInput("ngram training: got " + std::to_string(labels.size()) + " label, expected at least 2");
  }

  // Multi-label: each label's decision threshold is chosen on a held-out split (its best F1 there), and the model
  // is the one trained on the rest. A single label's sigmoid rarely reaches 0.5 on a text that carries two.
  data::Split split;
  if (options.multi_label && options.valid_fraction > 0) {
    split = data::StratifiedSplit(examples, options.valid_fraction, options.seed, options.label_separator);
  } else {
    split.train = examples;
  }
  const auto& train_examples = split.train;
  std::vector<std::string> texts;
  texts.reserve(train_examples.size());
  for (const auto& e : train_examples) texts.push_back(e.text);
  const auto space = detail::FeatureSpace::Fit(texts, options);
  LinearProblem linear;
  FillProblem(space, texts, linear);

  const std::size_t k = labels.size();
  const std::size_t rows_out = space.size() + 1;
  detail::StoredModel stored{options, labels, space.word_block(), space.char_block(), {}, {}};
  stored.weights.assign(rows_out * k, 0.0f);
  if (options.multi_label) {
    TrainPerLabel(train_examples, options, labels, linear, stored.weights);
    if (!split.valid.empty()) {
      std::vector<std::vector<int>> truth;
      for (const auto& e : split.valid) {
        std::vector<int> ids;
        for (const auto& name : data::SplitLabels(e.label, options.label_separator)) {
          ids.push_back(static_cast<int>(std::lower_bound(labels.begin(), labels.end(), name) - labels.begin()));
        }
        truth.push_back(std::move(ids));
      }
      stored.label_thresholds =
          data::ChooseLabelThresholds(LabelProbabilities(space, stored.weights, k, split.valid), truth);
    }
  } else {
    // Class ids are the label indices.
    std::vector<double> targets(examples.size());
    for (std::size_t i = 0; i < examples.size(); ++i) {
      targets[i] =
          static_cast<double>(std::lower_bound(labels.begin(), labels.end(), examples[i].label) - labels.begin());
    }
    linear.prob.y = targets.data();
    const auto trained = Train(linear.prob, options);
    // Re-lay the weights out as [feature + bias][class id]. liblinear orders classes by first appearance
    // and keeps a single weight vector (for its label[0]) when there are two classes; the second class then
    // gets the negated vector, which gives the same sigmoid-then-normalize probabilities.
    const int nr_w = trained->nr_class == 2 ? 1 : trained->nr_class;
    for (int j = 0; j < trained->nr_class; ++j) {
      const auto class_id = static_cast<std::size_t>(trained->label[j]);
      const int column = nr_w == 1 ? 0 : j;
      const double sign = (nr_w == 1 && j == 1) ? -1.0 : 1.0;
      for (std::size_t f = 0; f < rows_out; ++f) {
        stored.weights[f * k + class_id] = static_cast<float>(
            sign * trained->w[f * static_cast<std::size_t>(nr_w) + static_cast<std::size_t>(column)]);
      }
    }
  }

  AtomicDirectory directory(out);
  detail::WriteModelFiles(directory.staging(), stored);
  if (normalizer) text::StoreLayoutNormalizer(options.text_normalizer, directory.staging());
  directory.Commit();

  TrainSummary summary;
  summary.examples = train_examples.size();
  summary.valid_examples = split.valid.size();
  summary.classes = k;
  summary.word_features = space.word_block().terms.size();
  summary.char_features = space.char_block().terms.size();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace fastintent::ngram
