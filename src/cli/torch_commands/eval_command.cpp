// fastintent eval --runtime torch --model CHECKPOINT --data FILE ...: a Hugging Face checkpoint run by our
// libtorch model. The other runtimes are the main executable's `eval`, which runs this one for torch.
#include <chrono>
#include <string>

#include "command_registry.h"
#include "eval_flags.h"
#include "fastintent/common/error.h"
#include "fastintent/train/torch_predict.h"

namespace fastintent::cli {
namespace {

int RunEvalTorch(int argc, char** argv) {
  EvalFlags flags;
  if (const auto exit_code = ParseEvalFlags(argc, argv, flags)) return *exit_code;
  if (flags.target_precision >= 0 || flags.target_recall >= 0) {
    throw InvalidInput(
        "--fallback-target-*: choose the policy on an exported model (`fastintent eval --runtime onnx`)");
  }
  if (flags.runtime != "torch") {
    throw InvalidInput("fastintent-torch eval runs --runtime torch only; use `fastintent eval` for " + flags.runtime);
  }
  const EvalInput input = ReadEvalInput(flags);
  std::vector<std::string> texts;
  texts.reserve(input.examples.size());
  for (const auto& e : input.examples) texts.push_back(e.text);

  // PredictWithTorch loads the checkpoint per call, so all texts go in one call; the predictor then hands
  // out the stored answers batch by batch, and the wall time is that of the single call.
  train::TorchPredictOptions torch_options;
  torch_options.batch_size = flags.batch_size;
  torch_options.threads = static_cast<std::size_t>(flags.threads);
  if (flags.max_length > 0) torch_options.max_length = flags.max_length;
  const auto started = std::chrono::steady_clock::now();
  const auto all = train::PredictWithTorch(flags.model, texts, torch_options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t next = 0;
  auto evaluation = data::Evaluate(
      input.examples, all.labels,
      [&](const std::vector<std::string>& batch) {
        std::vector<data::TopPrediction> out;
        for (std::size_t i = 0; i < batch.size(); ++i, ++next) {
          out.push_back({all.labels.at(static_cast<std::size_t>(all.class_ids.at(next))), all.top_scores.at(next)});
        }
        return out;
      },
      input.options);
  evaluation.seconds = seconds;
  return ReportEvaluation(flags, "torch", evaluation, input.examples);
}

}  // namespace

FASTINTENT_COMMAND("eval", "Evaluate a checkpoint with libtorch (eval --runtime torch)", RunEvalTorch);

}  // namespace fastintent::cli
