// fastintent eval --model DIR --data FILE [--runtime auto|torch|onnx|onnx-int8|ngram] [--fallback-sweep] ...
// Thin: reads the data set, picks a predictor, hands to data::Evaluate and writes the reports. Lives in
// the libtorch executable because of --runtime torch; `fastintent eval` forwards to it.
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "command_registry.h"
#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"
#include "fastintent/data/evaluate.h"
#include "fastintent/ngram/ngram.h"
#include "fastintent/runtime/classifier.h"
#include "fastintent/train/torch_predict.h"

namespace fastintent::cli {
namespace {

struct EvalFlags {
  std::filesystem::path model;
  std::filesystem::path data;
  std::string runtime = "auto";
  data::ReadOptions read;
  std::string format;
  std::size_t batch_size = 64;
  std::size_t max_length = 0;
  int threads = 1;
  double fallback_threshold = -1;
  bool fallback_sweep = false;
  std::filesystem::path json_out;
  std::filesystem::path markdown_out;
};

std::string ResolveRuntime(const EvalFlags& flags) {
  if (flags.runtime != "auto") return flags.runtime;
  return ngram::IsNgramModelDirectory(flags.model) ? "ngram" : "onnx";
}

std::vector<std::string> Texts(const std::vector<data::Example>& examples) {
  std::vector<std::string> texts;
  texts.reserve(examples.size());
  for (const auto& e : examples) texts.push_back(e.text);
  return texts;
}

data::Evaluation EvaluateNgram(const EvalFlags& flags, const std::vector<data::Example>& examples,
                               const data::EvaluateOptions& options) {
  const auto model = ngram::NgramClassifier::Load(flags.model);
  return data::Evaluate(examples, model->labels(), [&](const std::vector<std::string>& texts) {
    std::vector<data::TopPrediction> out;
    for (const auto& p : model->PredictBatch(texts)) out.push_back({p.label, p.score});
    return out;
  }, options);
}

data::Evaluation EvaluateOnnx(const EvalFlags& flags, bool quantized, const std::vector<data::Example>& examples,
                              const data::EvaluateOptions& options) {
  runtime::ClassifierOptions classifier_options;
  classifier_options.quantized = quantized;
  classifier_options.intra_op_threads = flags.threads;
  if (flags.max_length > 0) classifier_options.max_length = flags.max_length;
  const auto model = runtime::Classifier::Load(flags.model, classifier_options);
  return data::Evaluate(examples, model->info().labels, [&](const std::vector<std::string>& texts) {
    std::vector<data::TopPrediction> out;
    for (const auto& p : model->Classify(texts, 1)) out.push_back({p.label, p.score});
    return out;
  }, options);
}

// PredictWithTorch loads the checkpoint per call, so all texts go in one call; the predictor then hands
// out the stored answers batch by batch, and the wall time is that of the single call.
data::Evaluation EvaluateTorch(const EvalFlags& flags, const std::vector<data::Example>& examples,
                               const data::EvaluateOptions& options) {
  train::TorchPredictOptions torch_options;
  torch_options.batch_size = flags.batch_size;
  torch_options.threads = static_cast<std::size_t>(flags.threads);
  if (flags.max_length > 0) torch_options.max_length = flags.max_length;
  const auto started = std::chrono::steady_clock::now();
  const auto all = train::PredictWithTorch(flags.model, Texts(examples), torch_options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t next = 0;
  auto evaluation = data::Evaluate(examples, all.labels, [&](const std::vector<std::string>& texts) {
    std::vector<data::TopPrediction> out;
    for (std::size_t i = 0; i < texts.size(); ++i, ++next) {
      out.push_back({all.labels.at(static_cast<std::size_t>(all.class_ids.at(next))), all.top_scores.at(next)});
    }
    return out;
  }, options);
  evaluation.seconds = seconds;
  return evaluation;
}

void WriteFile(const std::filesystem::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary);
  out << content;
  if (!out) throw IoError("cannot write " + file.string());
}

int RunEval(int argc, char** argv) {
  CLI::App app{"Evaluate a model on a labelled data set: accuracy, F1 macro/weighted, per-class precision/recall/F1, "
               "confusion matrix, and optionally the operator-fallback trade-off. Prints a markdown report."};
  EvalFlags flags;
  app.add_option("--model", flags.model, "Model directory (ONNX export, Hugging Face checkpoint or n-gram model)")
      ->required();
  app.add_option("--data", flags.data, "Labelled data: .csv, .tsv or .jsonl")->required();
  app.add_option("--runtime", flags.runtime,
                 "auto (ngram for an n-gram model directory, else onnx), torch, onnx, onnx-int8 (model_quantized.onnx) "
                 "or ngram")
      ->check(CLI::IsMember({"auto", "torch", "onnx", "onnx-int8", "ngram"}))
      ->capture_default_str();
  app.add_option("--text-column", flags.read.text_column, "Text column (CSV/TSV header or JSONL key)")->capture_default_str();
  app.add_option("--label-column", flags.read.label_column, "Label column; \"label\" is tried when \"category\" is absent")
      ->capture_default_str();
  app.add_option("--format", flags.format, "csv, tsv or jsonl (default: from the file extension)")
      ->check(CLI::IsMember({"csv", "tsv", "jsonl"}));
  app.add_option("--batch-size", flags.batch_size, "Texts per inference call")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--max-length", flags.max_length, "Token limit (default: the model's)")->check(CLI::PositiveNumber);
  app.add_option("--threads", flags.threads, "Intra-op threads for onnx/torch")->check(CLI::PositiveNumber)->capture_default_str();
  auto* threshold = app.add_option("--fallback-threshold", flags.fallback_threshold,
                                   "Report the fallback rate and the accuracy of the rest at this top-score threshold")
                        ->check(CLI::Range(0.0, 1.0));
  app.add_flag("--fallback-sweep", flags.fallback_sweep, "Report fallback at thresholds 0, 0.1, ..., 0.9, 0.95, 0.99")
      ->excludes(threshold);
  app.add_option("--json", flags.json_out, "Write the full result (with the confusion matrix) as JSON here");
  app.add_option("--markdown", flags.markdown_out, "Write the markdown report here as well");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  if (!flags.format.empty()) flags.read.format = flags.format;

  const auto examples = data::ReadExamples(flags.data, flags.read);
  data::EvaluateOptions options;
  options.batch_size = flags.batch_size;
  if (flags.fallback_sweep) options.fallback_thresholds = data::DefaultFallbackThresholds();
  if (flags.fallback_threshold >= 0) options.fallback_thresholds = {flags.fallback_threshold};

  const std::string runtime = ResolveRuntime(flags);
  data::Evaluation evaluation;
  if (runtime == "ngram") {
    evaluation = EvaluateNgram(flags, examples, options);
  } else if (runtime == "torch") {
    evaluation = EvaluateTorch(flags, examples, options);
  } else {
    evaluation = EvaluateOnnx(flags, runtime == "onnx-int8", examples, options);
  }

  data::EvaluationContext context;
  context.facts = {{"model", flags.model.string()}, {"runtime", runtime}, {"data", flags.data.string()},
                   {"batch size", std::to_string(flags.batch_size)}, {"threads", std::to_string(flags.threads)}};
  const std::string markdown = data::EvaluationToMarkdown(evaluation, context);
  std::cout << markdown;
  if (!flags.markdown_out.empty()) WriteFile(flags.markdown_out, markdown);
  if (!flags.json_out.empty()) WriteFile(flags.json_out, data::EvaluationToJson(evaluation, context));
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("eval", "Evaluate a model on labelled data: accuracy, F1, per-class table, confusion, fallback",
                   RunEval);

}  // namespace fastintent::cli
