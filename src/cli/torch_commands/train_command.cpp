// `fastintent train`: fine-tune a BERT/DistilBERT checkpoint (or train one from a shape) with libtorch. Thin:
// parses flags, hands to fastintent_train. (`--arch ngram` is the main executable's own `train`.)
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "command_registry.h"
#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"
#include "fastintent/train/trainer.h"

namespace fastintent::cli {
namespace {

int RunTrain(int argc, char** argv) {
  CLI::App app{
      "Fine-tune BERT/DistilBERT (libtorch) on labelled texts (`--arch ngram`: the n-gram baseline).\n"
      "Writes a Hugging Face checkpoint directory (best epoch by validation F1 macro) with metrics.json\n"
      "and learning_curve.svg.",
      "fastintent train"};
  train::TrainOptions options;
  std::string arch = "bert";
  std::string base, shape, tokenizer, valid, format, class_weights = "none";
  std::size_t max_steps = 0;
  bool no_progress = false;

  app.add_option("--arch", arch, "bert (BERT/DistilBERT as the checkpoint or shape says)")
      ->check(CLI::IsMember({"bert"}))
      ->capture_default_str();
  app.add_option("--base", base, "Hugging Face checkpoint directory to fine-tune (e.g. all-MiniLM-L6-v2)");
  app.add_option("--shape", shape, "Shape JSON for random initialisation (or seed-architectures.json + --shape-name)");
  app.add_option("--shape-name", options.shape_name, "Model name inside a multi-model shape file");
  app.add_option("--tokenizer", tokenizer, "Tokenizer directory (default: the --base directory)");
  app.add_option("--train", options.train_file, "Training data: .csv, .tsv or .jsonl")->required();
  app.add_option("--valid", valid, "Validation data (default: a stratified split of --train)");
  app.add_option("--valid-fraction", options.valid_fraction, "Share of --train held out when no --valid")
      ->capture_default_str();
  app.add_option("--text-column", options.read_options.text_column, "Text column / JSONL key")->capture_default_str();
  app.add_option("--label-column", options.read_options.label_column, "Label column / JSONL key")
      ->capture_default_str();
  app.add_option("--format", format, "csv, tsv or jsonl (default: from the file extension)")
      ->check(CLI::IsMember({"csv", "tsv", "jsonl"}));
  app.add_option("--out", options.out_dir, "Output directory (replaced atomically)")->required();
  app.add_option("--epochs", options.epochs, "Training epochs")->capture_default_str();
  app.add_option("--batch-size", options.batch_size, "Examples per optimizer step")->capture_default_str();
  app.add_option("--lr", options.learning_rate, "Peak learning rate (AdamW)")->capture_default_str();
  app.add_option("--weight-decay", options.weight_decay, "AdamW weight decay (not on biases and LayerNorm)")
      ->capture_default_str();
  app.add_option("--warmup-ratio", options.warmup_ratio, "Share of steps with linear warm-up, then linear decay")
      ->capture_default_str();
  app.add_option("--max-grad-norm", options.max_grad_norm, "Gradient clipping norm (0 = off)")->capture_default_str();
  app.add_option("--class-weights", class_weights, "none or balanced (loss weight n / (classes * count))")
      ->check(CLI::IsMember({"none", "balanced"}))
      ->capture_default_str();
  app.add_option("--label-smoothing", options.label_smoothing,
                 "Training target (1 - e) one-hot + e / classes, e in [0, 1); 0 = plain cross-entropy")
      ->capture_default_str();
  app.add_option("--patience", options.patience, "Early stop after N epochs without better valid F1 macro (0 = off)")
      ->capture_default_str();
  app.add_option("--max-length", options.max_length, "Max tokens per text (special tokens included)")
      ->capture_default_str();
  app.add_option("--max-steps", max_steps, "Stop after this many optimizer steps (0 = no limit)")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed: the same seed and data give the same run")->capture_default_str();
  app.add_option("--threads", options.threads, "torch intra-op threads")->capture_default_str();
  app.add_flag("--no-progress", no_progress, "No progress bar on stderr");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!base.empty()) options.base_checkpoint = base;
  if (!shape.empty()) options.shape_file = shape;
  if (!tokenizer.empty()) options.tokenizer_dir = tokenizer;
  if (!valid.empty()) options.valid_file = valid;
  if (!format.empty()) options.read_options.format = format;
  if (max_steps > 0) options.max_steps = max_steps;
  options.balanced_class_weights = class_weights == "balanced";
  options.progress = !no_progress;

  const auto report = train::Train(options);
  const auto& best = report.epochs.at(report.best_epoch - 1);
  std::printf(
      "trained %zu steps on %zu examples (%zu classes) in %.1f s; best epoch %zu: valid accuracy %.4f, "
      "F1 macro %.4f, F1 weighted %.4f -> %s\n",
      report.steps, report.train_examples, report.labels.size(), report.total_seconds, report.best_epoch,
      best.valid_accuracy, best.valid_f1_macro, best.valid_f1_weighted, options.out_dir.c_str());
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("train", "fine-tune BERT/DistilBERT (libtorch)", RunTrain);

}  // namespace fastintent::cli
