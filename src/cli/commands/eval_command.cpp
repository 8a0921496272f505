// fastintent eval --model DIR --data FILE [--runtime auto|onnx|onnx-int8|ngram|torch] [--fallback-sweep] ...
// Thin: reads the data set, loads the model with the engine that serves it, hands to data::Evaluate and
// writes the reports. --runtime torch (a checkpoint run by libtorch) runs in fastintent-torch.
#include <string>

#include "command_registry.h"
#include "eval_flags.h"
#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/runtime/classifier.h"
#include "run_command.h"

namespace fastintent::cli {
namespace {

int RunEval(int argc, char** argv) {
  EvalFlags flags;
  if (const auto exit_code = ParseEvalFlags(argc, argv, flags)) return *exit_code;
  if (flags.runtime == "torch") return RunInTorchExecutable(argc, argv);
  const bool ngram_model = checkpoint::ReadModelDirectory(flags.model).kind == checkpoint::ModelKind::kNgram;
  std::string runtime = flags.runtime;
  if (runtime == "auto") runtime = ngram_model ? "ngram" : "onnx";
  if ((runtime == "ngram") != ngram_model) {
    throw InvalidInput("--runtime " + runtime + ": " + flags.model.string() + " is " +
                       (ngram_model ? "an n-gram model (use --runtime ngram or auto)"
                                    : "not an n-gram model (use --runtime onnx, onnx-int8, torch or auto)"));
  }
  const EvalInput input = ReadEvalInput(flags);

  runtime::ClassifierOptions options;
  options.quantized = runtime == "onnx-int8";
  options.intra_op_threads = flags.threads;
  if (flags.max_length > 0) options.max_length = flags.max_length;
  const auto model = runtime::Classifier::Load(flags.model, options);
  const data::Evaluation evaluation = data::Evaluate(
      input.examples, model->info().labels,
      [&](const std::vector<std::string>& texts) {
        std::vector<data::TopPrediction> out;
        for (const auto& p : model->Classify(texts, 1)) out.push_back({p.label, p.score});
        return out;
      },
      input.options);
  return ReportEvaluation(flags, runtime, evaluation);
}

}  // namespace

FASTINTENT_COMMAND("eval", "Evaluate a model on labelled data: accuracy, F1, per-class table, confusion, fallback",
                   RunEval);

}  // namespace fastintent::cli
