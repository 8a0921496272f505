// TrainNgramModel: TF-IDF features → liblinear one-vs-rest logistic regression → model directory.
#include <linear.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "fastintent/common/atomic_directory.h"
#include "fastintent/common/error.h"
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

}  // namespace

TrainSummary TrainNgramModel(const std::vector<data::Example>& examples, const NgramOptions& options,
                             const std::filesystem::path& out) {
  const auto started = std::chrono::steady_clock::now();
  CheckOptions(options);
  if (examples.empty()) throw InvalidInput("ngram training: got 0 examples, expected labelled texts");
  const auto labels = data::LabelSet(examples);
  if (labels.size() < 2) {
    throw InvalidInput("ngram training: got " + std::to_string(labels.size()) + " label, expected at least 2");
  }

  std::vector<std::string> texts;
  texts.reserve(examples.size());
  for (const auto& e : examples) texts.push_back(e.text);
  const auto space = detail::FeatureSpace::Fit(texts, options);
  const int features = static_cast<int>(space.size());

  // liblinear problem: 1-based feature indices, a bias feature (index features + 1, value 1) per row,
  // each row terminated by index -1. Class ids are the label indices.
  std::vector<std::vector<feature_node>> rows(examples.size());
  std::vector<feature_node*> row_pointers(examples.size());
  std::vector<double> targets(examples.size());
  for (std::size_t i = 0; i < examples.size(); ++i) {
    for (const auto& entry : space.Transform(texts[i])) rows[i].push_back({entry.index + 1, entry.value});
    rows[i].push_back({features + 1, 1.0});
    rows[i].push_back({-1, 0.0});
    row_pointers[i] = rows[i].data();
    targets[i] =
        static_cast<double>(std::lower_bound(labels.begin(), labels.end(), examples[i].label) - labels.begin());
  }
  problem prob{};
  prob.l = static_cast<int>(examples.size());
  prob.n = features + 1;
  prob.y = targets.data();
  prob.x = row_pointers.data();
  prob.bias = 1.0;

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
  std::unique_ptr<model, ModelDeleter> trained(train(&prob, &param));

  // Re-lay the weights out as [feature + bias][class id]. liblinear orders classes by first appearance
  // and keeps a single weight vector (for its label[0]) when there are two classes; the second class then
  // gets the negated vector, which gives the same sigmoid-then-normalize probabilities.
  const std::size_t k = labels.size();
  const std::size_t rows_out = static_cast<std::size_t>(features) + 1;
  const int nr_w = trained->nr_class == 2 ? 1 : trained->nr_class;
  detail::StoredModel stored{options, labels, space.word_block(), space.char_block(), {}};
  stored.weights.assign(rows_out * k, 0.0f);
  for (int j = 0; j < trained->nr_class; ++j) {
    const auto class_id = static_cast<std::size_t>(trained->label[j]);
    const int column = nr_w == 1 ? 0 : j;
    const double sign = (nr_w == 1 && j == 1) ? -1.0 : 1.0;
    for (std::size_t f = 0; f < rows_out; ++f) {
      stored.weights[f * k + class_id] =
          static_cast<float>(sign * trained->w[f * static_cast<std::size_t>(nr_w) + static_cast<std::size_t>(column)]);
    }
  }

  AtomicDirectory directory(out);
  detail::WriteModelFiles(directory.staging(), stored);
  directory.Commit();

  TrainSummary summary;
  summary.examples = examples.size();
  summary.classes = k;
  summary.word_features = space.word_block().terms.size();
  summary.char_features = space.char_block().terms.size();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace fastintent::ngram
