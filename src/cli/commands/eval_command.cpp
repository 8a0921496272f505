// fastintent eval --model DIR --data FILE [--runtime auto|onnx|onnx-int8|ngram|torch] [--fallback-sweep] ...
// Thin: reads the data set, loads the model with the engine that serves it, hands to data::Evaluate and
// writes the reports; optionally chooses the operator hand-off policy on the data and writes it into the model
// directory. --runtime torch (a checkpoint run by libtorch) runs in fastintent-torch.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "command_registry.h"
#include "eval_flags.h"
#include "fastintent/checkpoint/config_json.h"
#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/data/calibration.h"
#include "fastintent/data/multi_label.h"
#include "fastintent/runtime/classifier.h"
#include "run_command.h"

namespace fastintent::cli {
namespace {

data::Evaluation EvaluateModel(const runtime::Classifier& model, const EvalInput& input) {
  return data::Evaluate(
      input.examples, model.info().labels,
      [&](const std::vector<std::string>& texts) {
        std::vector<data::TopPrediction> out;
        for (const auto& p : model.Classify(texts, 3)) {
          data::TopPrediction top(p.label, p.score);
          top.second = p.top.size() > 1 ? p.top[1].score : 0.0f;
          top.fallback = p.fallback;
          for (const auto& entry : p.top) top.top.push_back({entry.label, entry.score});
          out.push_back(std::move(top));
        }
        return out;
      },
      input.options);
}

std::string Fixed(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

// Chooses the hand-off policy on the evaluated data for the asked target, writes it into the model's config.json
// and says what it does (beside the best plain threshold for the same target).
std::string ChooseAndWritePolicy(const EvalFlags& flags, const data::Evaluation& evaluation) {
  std::vector<float> top, second;
  std::vector<bool> correct;
  for (const auto& outcome : evaluation.outcomes) {
    top.push_back(outcome.prediction.score);
    second.push_back(outcome.prediction.second);
    correct.push_back(outcome.correct);
  }
  const bool by_precision = flags.target_precision >= 0;
  const double target = by_precision ? flags.target_precision : flags.target_recall;
  const auto choose = [&](bool margin) {
    return by_precision ? data::ChoosePolicyForPrecision(target, top, second, correct, margin)
                        : data::ChoosePolicyForRecall(target, top, second, correct, margin);
  };
  const auto policy = choose(true);
  if (!policy) {
    throw InvalidInput(std::string("no hand-off policy reaches ") + (by_precision ? "precision " : "recall ") +
                       Fixed(target) + " on " + flags.data.string() + "; nothing was written");
  }
  const auto plain = choose(false);
  checkpoint::UpdateConfigJson(flags.model / "config.json", {{"fallback_threshold", policy->policy.threshold},
                                                             {"fastintent_fallback_margin", policy->policy.margin}});
  std::string text = "\n### Hand-off policy chosen on this data and written into " +
                     (flags.model / "config.json").string() +
                     "\n\n| rule | threshold | margin | sent to an operator "
                     "| accuracy of the rest | errors caught |\n|---|---:|---:|---:|---:|---:|\n";
  const auto row = [&](const char* name, const data::PolicyOutcome& o) {
    text += std::string("| ") + name + " | " + Fixed(o.policy.threshold) + " | " + Fixed(o.policy.margin) + " | " +
            Fixed(o.fallback_rate) + " | " + Fixed(o.accuracy_of_rest) + " | " + Fixed(o.errors_caught) + " |\n";
  };
  row("threshold and margin (written)", *policy);
  if (plain) row("threshold alone (for comparison)", *plain);
  return text;
}

// The class id of `label` in the model's labels; throws InvalidInput ("<where>: label "x" is not the model's<after>").
int ClassIdOf(const std::vector<std::string>& labels, const std::string& label, const std::string& where,
              const std::string& after = "") {
  const auto found = std::find(labels.begin(), labels.end(), label);
  if (found == labels.end()) throw InvalidInput(where + ": label \"" + label + "\" is not the model's" + after);
  return static_cast<int>(found - labels.begin());
}

// Fits the temperature on the data's raw logits (the gold labels as class ids) and writes it into config.json.
double FitAndWriteTemperature(const EvalFlags& flags, const runtime::Classifier& model, const EvalInput& input) {
  const auto& labels = model.info().labels;
  std::vector<std::vector<float>> logits;
  std::vector<int> truth;
  for (std::size_t start = 0; start < input.examples.size(); start += flags.batch_size) {
    std::vector<std::string> texts;
    for (std::size_t i = start; i < std::min(input.examples.size(), start + flags.batch_size); ++i) {
      truth.push_back(
          ClassIdOf(labels, input.examples[i].label, "--calibrate: " + flags.data.string(), "; nothing was written"));
      texts.push_back(input.examples[i].text);
    }
    for (auto& row : model.Logits(texts)) logits.push_back(std::move(row));
  }
  const double temperature = data::FitTemperature(logits, truth);
  checkpoint::UpdateConfigJson(flags.model / "config.json", {{"fastintent_temperature", temperature}});
  return temperature;
}

// A multi-label model: the gold label field names one or more labels ("a|b"); the model answers every label at
// or above its threshold. Reports micro/macro F1 and subset accuracy, and apart for texts with one gold label and
// with several (how often all of a text's intents were found).
int EvaluateMultiLabel(const EvalFlags& flags, const runtime::Classifier& model, const EvalInput& input,
                       const std::string& runtime) {
  const auto& labels = model.info().labels;
  std::vector<std::vector<int>> truth, predicted;
  std::vector<std::vector<int>> single_truth, single_predicted;
  std::size_t multi = 0, multi_all_found = 0;
  for (std::size_t start = 0; start < input.examples.size(); start += flags.batch_size) {
    std::vector<std::string> texts;
    for (std::size_t i = start; i < std::min(input.examples.size(), start + flags.batch_size); ++i) {
      texts.push_back(input.examples[i].text);
    }
    const auto predictions = model.Classify(texts, 1);
    for (std::size_t k = 0; k < texts.size(); ++k) {
      std::vector<int> gold, guess;
      for (const auto& name : data::SplitLabels(input.examples[start + k].label, flags.label_separator)) {
        gold.push_back(ClassIdOf(labels, name, flags.data.string()));
      }
      for (const auto& entry : predictions[k].labels) {
        guess.push_back(ClassIdOf(labels, entry.label, "model answer"));
      }
      if (gold.size() > 1) {
        ++multi;
        multi_all_found += std::all_of(
            gold.begin(), gold.end(), [&](int id) { return std::find(guess.begin(), guess.end(), id) != guess.end(); });
      } else {
        single_truth.push_back(gold);
        single_predicted.push_back(guess);
      }
      truth.push_back(std::move(gold));
      predicted.push_back(std::move(guess));
    }
  }
  const auto all = data::ComputeMultiLabelMetrics(labels, truth, predicted);
  const auto single = data::ComputeMultiLabelMetrics(labels, single_truth, single_predicted);
  const double found = multi == 0 ? 0.0 : static_cast<double>(multi_all_found) / static_cast<double>(multi);
  std::string markdown = "## Evaluation (multi-label)\n\n- model: " + flags.model.string() + "\n- runtime: " + runtime +
                         "\n- data: " + flags.data.string() +
                         "\n\n| texts | micro F1 | macro F1 | subset accuracy | micro F1, one-intent texts | "
                         "all intents found, several-intent texts |\n|---:|---:|---:|---:|---:|---:|\n| " +
                         std::to_string(all.count) + " | " + Fixed(all.micro_f1) + " | " + Fixed(all.macro_f1) + " | " +
                         Fixed(all.subset_accuracy) + " | " + Fixed(single.micro_f1) + " (" +
                         std::to_string(single.count) + ") | " + Fixed(found) + " (" + std::to_string(multi) + ") |\n";
  std::printf("%s", markdown.c_str());
  nlohmann::ordered_json json = {{"count", all.count},
                                 {"micro_f1", all.micro_f1},
                                 {"micro_precision", all.micro_precision},
                                 {"micro_recall", all.micro_recall},
                                 {"macro_f1", all.macro_f1},
                                 {"subset_accuracy", all.subset_accuracy},
                                 {"single_label_texts", single.count},
                                 {"single_label_micro_f1", single.micro_f1},
                                 {"multi_label_texts", multi},
                                 {"multi_label_all_found", found}};
  if (!flags.json_out.empty()) WriteTextFile(flags.json_out, json.dump(2) + "\n");
  if (!flags.markdown_out.empty()) WriteTextFile(flags.markdown_out, markdown);
  return kExitOk;
}

// The runtime that serves `kind` for the asked --runtime: "ngram" for an n-gram model, "onnx"/"onnx-int8" for an
// ONNX export, "ensemble"/"ensemble-int8" for an ensemble (onnx-int8: its ONNX members run model_quantized.onnx).
// Throws InvalidInput for a runtime that cannot run the directory.
std::string RuntimeFor(const std::string& asked, checkpoint::ModelKind kind, const std::filesystem::path& model) {
  switch (kind) {
    case checkpoint::ModelKind::kNgram:
      if (asked == "auto" || asked == "ngram") return "ngram";
      throw InvalidInput("--runtime " + asked + ": " + model.string() +
                         " is an n-gram model (use --runtime ngram or auto)");
    case checkpoint::ModelKind::kEnsemble:
      if (asked == "auto" || asked == "onnx") return "ensemble";
      if (asked == "onnx-int8") return "ensemble-int8";
      throw InvalidInput("--runtime " + asked + ": " + model.string() +
                         " is an ensemble (use --runtime auto, or onnx-int8 for its ONNX members' model_quantized.onnx)");
    case checkpoint::ModelKind::kTransformer:
      break;
  }
  if (asked == "ngram") {
    throw InvalidInput("--runtime ngram: " + model.string() +
                       " is not an n-gram model (use --runtime onnx, onnx-int8, torch or auto)");
  }
  return asked == "auto" ? "onnx" : asked;
}

int RunEval(int argc, char** argv) {
  EvalFlags flags;
  if (const auto exit_code = ParseEvalFlags(argc, argv, flags)) return *exit_code;
  if (flags.runtime == "torch") return RunInTorchExecutable(argc, argv);
  const checkpoint::ModelKind kind = checkpoint::ReadModelDirectory(flags.model).kind;
  const std::string runtime = RuntimeFor(flags.runtime, kind, flags.model);
  const EvalInput input = ReadEvalInput(flags);

  runtime::ClassifierOptions options;
  options.quantized = runtime == "onnx-int8" || runtime == "ensemble-int8";
  options.intra_op_threads = flags.threads;
  if (flags.max_length > 0) options.max_length = flags.max_length;
  auto model = runtime::Classifier::Load(flags.model, options);
  if (model->info().multi_label) {
    if (flags.calibrate) throw InvalidInput("--calibrate: temperature scaling is for single-label models");
    return EvaluateMultiLabel(flags, *model, input, runtime);
  }
  if (flags.calibrate) {
    FitAndWriteTemperature(flags, *model, input);
    model = runtime::Classifier::Load(flags.model, options);  // with the new temperature
  }
  const data::Evaluation evaluation = EvaluateModel(*model, input);
  std::string extra;
  if (model->info().temperature) {
    // The same texts without the fitted temperature: what calibration changed.
    options.calibrated = false;
    const auto raw = EvaluateModel(*runtime::Classifier::Load(flags.model, options), input);
    extra += "\nCalibration: temperature " + Fixed(*model->info().temperature) + "; calibration error " +
             Fixed(raw.calibration_error) + " without it, " + Fixed(evaluation.calibration_error) + " with it.\n";
  }
  if (flags.target_precision >= 0 || flags.target_recall >= 0) extra += ChooseAndWritePolicy(flags, evaluation);
  return ReportEvaluation(flags, runtime, evaluation, input.examples, extra);
}

}  // namespace

FASTINTENT_COMMAND("eval", "Evaluate a model on labelled data: accuracy, F1, per-class table, confusion, fallback",
                   RunEval);

}  // namespace fastintent::cli
