#include "eval_flags.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "fastintent/common/error.h"

namespace fastintent::cli {

void WriteTextFile(const std::filesystem::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary);
  out << content;
  if (!out) throw IoError("cannot write " + file.string());
}

void AddDataFileFlags(CLI::App& app, data::ReadOptions& read, std::string& format) {
  app.add_option("--text-column", read.text_column, "Text column (CSV/TSV header or JSONL key)")
      ->capture_default_str();
  app.add_option("--label-column", read.label_column, "Label column; \"label\" is tried when \"category\" is absent")
      ->capture_default_str();
  app.add_option("--format", format, "csv, tsv or jsonl (default: from the file extension)")
      ->check(CLI::IsMember({"csv", "tsv", "jsonl"}));
}

std::optional<int> ParseEvalFlags(int argc, char** argv, EvalFlags& flags) {
  CLI::App app{"", "fastintent eval"};
  app.description(
      "Evaluate a model on a labelled data set: accuracy, F1 macro/weighted, per-class "
      "precision/recall/F1, confusion matrix, and optionally the operator-fallback trade-off. Prints a "
      "markdown report.");
  app.add_option("--model", flags.model,
                 "Model directory (ONNX export, Hugging Face checkpoint, n-gram model or ensemble)")
      ->required();
  app.add_option("--data", flags.data, "Labelled data: .csv, .tsv or .jsonl")->required();
  app.add_option("--runtime", flags.runtime,
                 "auto (ngram for an n-gram model directory, ensemble for an ensemble, else onnx), torch, onnx, "
                 "onnx-int8 (model_quantized.onnx; for an ensemble, its ONNX members') or ngram")
      ->check(CLI::IsMember({"auto", "torch", "onnx", "onnx-int8", "ngram"}))
      ->capture_default_str();
  AddDataFileFlags(app, flags.read, flags.format);
  app.add_option("--batch-size", flags.batch_size, "Texts per inference call")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-length", flags.max_length, "Token limit (default: the model's)")->check(CLI::PositiveNumber);
  app.add_option("--threads", flags.threads, "Intra-op threads for onnx/torch")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  auto* threshold = app.add_option("--fallback-threshold", flags.fallback_threshold,
                                   "Report the fallback rate and the accuracy of the rest at this top-score threshold")
                        ->check(CLI::Range(0.0, 1.0));
  app.add_flag("--fallback-sweep", flags.fallback_sweep, "Report fallback at thresholds 0, 0.1, ..., 0.9, 0.95, 0.99")
      ->excludes(threshold);
  app.add_option("--json", flags.json_out, "Write the full result (with the confusion matrix) as JSON here");
  app.add_option("--markdown", flags.markdown_out, "Write the markdown report here as well");
  app.add_option("--errors", flags.errors_out,
                 "Write each misclassified or handed-over example here (JSONL: text, gold, predicted, score, top, "
                 "fallback): what to relabel or add");
  app.add_option("--predictions", flags.predictions_out, "Write every example's prediction here (JSONL, as --errors)");
  app.add_option("--label-separator", flags.label_separator,
                 "Multi-label models: the separator of several gold labels in one field")
      ->capture_default_str();
  auto* precision = app.add_option("--fallback-target-precision", flags.target_precision,
                                   "Choose the hand-off policy (threshold and top-2 margin) that keeps the most texts "
                                   "while the accuracy of the rest reaches this, on --data (a validation split), and "
                                   "write it into --model's config.json")
                        ->check(CLI::Range(0.0, 1.0));
  app.add_option("--fallback-target-recall", flags.target_recall,
                 "The same, handing over at least this share of the model's errors with the fewest texts")
      ->check(CLI::Range(0.0, 1.0))
      ->excludes(precision);
  app.add_flag("--calibrate", flags.calibrate,
               "Fit the temperature of the scores on --data (a validation split) by maximum likelihood and write it "
               "into --model's config.json (\"fastintent_temperature\"), then evaluate with it; for models trained "
               "elsewhere, n-gram models, or with --no-calibrate");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  return std::nullopt;
}

EvalInput ReadEvalInput(EvalFlags& flags) {
  if (!flags.format.empty()) flags.read.format = flags.format;
  EvalInput input;
  input.examples = data::ReadExamples(flags.data, flags.read);
  input.options.batch_size = flags.batch_size;
  if (flags.fallback_sweep) input.options.fallback_thresholds = data::DefaultFallbackThresholds();
  if (flags.fallback_threshold >= 0) input.options.fallback_thresholds = {flags.fallback_threshold};
  return input;
}

namespace {

// One JSONL line per example: text, gold, predicted, score, top, fallback, correct.
void WriteOutcomes(const std::filesystem::path& file, const data::Evaluation& evaluation,
                   const std::vector<data::Example>& examples, bool errors_only) {
  std::string lines;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const data::ExampleOutcome& outcome = evaluation.outcomes.at(i);
    if (errors_only && outcome.correct && !outcome.prediction.fallback) continue;
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (const auto& entry : outcome.prediction.top) top.push_back({{"label", entry.label}, {"score", entry.score}});
    nlohmann::ordered_json line = {{"text", examples[i].text},
                                   {"gold", examples[i].label},
                                   {"predicted", outcome.prediction.label},
                                   {"score", outcome.prediction.score},
                                   {"top", top},
                                   {"fallback", outcome.prediction.fallback},
                                   {"correct", outcome.correct}};
    lines += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  WriteTextFile(file, lines);
}

}  // namespace

int ReportEvaluation(const EvalFlags& flags, const std::string& runtime, const data::Evaluation& evaluation,
                     const std::vector<data::Example>& examples, const std::string& extra) {
  data::EvaluationContext context;
  context.facts = {{"model", flags.model.string()},
                   {"runtime", runtime},
                   {"data", flags.data.string()},
                   {"batch size", std::to_string(flags.batch_size)},
                   {"threads", std::to_string(flags.threads)}};
  const std::string markdown = data::EvaluationToMarkdown(evaluation, context) + extra;
  std::cout << markdown;
  if (!flags.markdown_out.empty()) WriteTextFile(flags.markdown_out, markdown);
  if (!flags.json_out.empty()) WriteTextFile(flags.json_out, data::EvaluationToJson(evaluation, context));
  if (!flags.errors_out.empty()) WriteOutcomes(flags.errors_out, evaluation, examples, /*errors_only=*/true);
  if (!flags.predictions_out.empty()) WriteOutcomes(flags.predictions_out, evaluation, examples, false);
  return kExitOk;
}

}  // namespace fastintent::cli
