#include "train_flags.h"

#include <cstdio>

#include "command_registry.h"

namespace fastintent::cli {
namespace {

std::string FormatRate(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", rate);
  return text;
}

}  // namespace

TrainFlags::TrainFlags(CLI::App& app) {
  app.add_option("--arch", arch_, "bert (BERT/DistilBERT as the checkpoint or shape says)")
      ->check(CLI::IsMember({"bert"}))
      ->capture_default_str();
  app.add_option("--base", base_, "Hugging Face checkpoint directory to fine-tune (e.g. all-MiniLM-L6-v2)");
  app.add_option("--shape", shape_, "Shape JSON for random initialisation (or seed-architectures.json + --shape-name)");
  app.add_option("--shape-name", options_.shape_name, "Model name inside a multi-model shape file");
  app.add_option("--tokenizer", tokenizer_, "Tokenizer directory (default: the --base directory)");
  app.add_option("--train", options_.train_file, "Training data: .csv, .tsv or .jsonl")->required();
  app.add_option("--valid", valid_, "Validation data (default: a stratified split of --train)");
  app.add_option("--valid-fraction", options_.valid_fraction, "Share of --train held out when no --valid")
      ->capture_default_str();
  app.add_option("--text-column", options_.read_options.text_column, "Text column / JSONL key")->capture_default_str();
  app.add_option("--label-column", options_.read_options.label_column, "Label column / JSONL key")
      ->capture_default_str();
  app.add_option("--format", format_, "csv, tsv or jsonl (default: from the file extension)")
      ->check(CLI::IsMember({"csv", "tsv", "jsonl"}));
  app.add_option("--out", options_.out_dir, "Output directory (replaced atomically)")->required();
  epochs_option_ =
      app.add_option("--epochs", options_.epochs,
                     "Training epochs (--freeze-encoder: " + std::to_string(train::kFrozenEncoderEpochs) + ")")
          ->capture_default_str();
  app.add_option("--batch-size", options_.batch_size, "Examples per optimizer step")->capture_default_str();
  lr_option_ =
      app.add_option("--lr", options_.learning_rate,
                     "Peak learning rate (AdamW; --freeze-encoder: " + FormatRate(train::kFrozenEncoderRate) + ")")
          ->capture_default_str();
  app.add_option("--weight-decay", options_.weight_decay, "AdamW weight decay (not on biases and LayerNorm)")
      ->capture_default_str();
  app.add_option("--warmup-ratio", options_.warmup_ratio, "Share of steps with linear warm-up, then linear decay")
      ->capture_default_str();
  app.add_option("--max-grad-norm", options_.max_grad_norm, "Gradient clipping norm (0 = off)")->capture_default_str();
  app.add_option("--class-weights", class_weights_, "none or balanced (loss weight n / (classes * count))")
      ->check(CLI::IsMember({"none", "balanced"}))
      ->capture_default_str();
  app.add_option("--label-smoothing", options_.label_smoothing,
                 "Training target (1 - e) one-hot + e / classes, e in [0, 1); 0 = plain cross-entropy")
      ->capture_default_str();
  patience_option_ =
      app.add_option("--patience", options_.patience,
                     "Early stop after N epochs without better valid F1 macro (0 = off; --freeze-encoder: " +
                         std::to_string(train::kFrozenEncoderPatience) + ")")
          ->capture_default_str();
  app.add_option("--max-length", options_.max_length, "Max tokens per text (special tokens included)")
      ->capture_default_str();
  app.add_option("--pooling", pooling_,
                 "cls (BERT pooler / DistilBERT pre_classifier on the first token) or mean (mean over real tokens); "
                 "default: the base checkpoint's, else mean for a BERT without a trained pooler (e5, "
                 "sentence-transformers), else cls")
      ->check(CLI::IsMember({"cls", "mean"}));
  prefix_option_ = app.add_option("--input-prefix", input_prefix_,
                                  "Text prepended to every input at training and wherever the model runs (stored "
                                  "in config.json); default: the base checkpoint's (e5: \"query: \")");
  app.add_option("--text-normalizer", text_normalizer_,
                 "Keyboard-layout / transliteration normalizer table (e.g. data/normalizers/ru-layout-translit.json), "
                 "applied to every text and stored in the model directory; 'none' drops the base checkpoint's; "
                 "default: the base checkpoint's text_normalizer.json, if it has one");
  app.add_option("--max-steps", max_steps_, "Stop after this many optimizer steps (0 = no limit)")
      ->capture_default_str();
  app.add_option("--seed", options_.seed, "Seed: the same seed and data give the same run")->capture_default_str();
  app.add_option("--threads", options_.threads, "torch intra-op threads")->capture_default_str();
  app.add_flag("--freeze-encoder", options_.freeze_encoder,
               "Train only the head on the frozen --base encoder (a linear probe): the encoder runs once over the "
               "data, each step costs only the head; keeps all the pretrained encoder knows, for small or "
               "template-made data sets (docs/training.md)");
  app.add_flag("--no-progress", no_progress_, "No progress bar on stderr");
  app.add_flag("--multi-label", options_.multi_label,
               "Texts may carry several labels, separated in the label column by --label-separator: binary "
               "cross-entropy per label, per-label thresholds chosen on the validation split");
  app.add_option("--label-separator", options_.label_separator, "Separator of several labels in one field")
      ->capture_default_str();
  app.add_flag("--no-calibrate", no_calibrate_,
               "Do not fit a temperature on the validation split (default: fit it, so scores are calibrated)");
}

train::TrainOptions TrainFlags::Options() const {
  train::TrainOptions options = options_;
  if (!base_.empty()) options.base_checkpoint = base_;
  if (!shape_.empty()) options.shape_file = shape_;
  if (!tokenizer_.empty()) options.tokenizer_dir = tokenizer_;
  if (!valid_.empty()) options.valid_file = valid_;
  if (!format_.empty()) options.read_options.format = format_;
  if (max_steps_ > 0) options.max_steps = max_steps_;
  options.balanced_class_weights = class_weights_ == "balanced";
  if (!pooling_.empty()) options.pooling = pooling_ == "mean" ? checkpoint::Pooling::kMean : checkpoint::Pooling::kCls;
  if (prefix_option_->count() > 0) options.input_prefix = input_prefix_;
  if (!text_normalizer_.empty()) options.text_normalizer = text_normalizer_ == "none" ? "" : text_normalizer_;
  if (options.freeze_encoder) {
    // The head alone needs many more, larger steps than a fine-tune: its own recipe unless the flags say otherwise.
    if (epochs_option_->count() == 0) options.epochs = train::kFrozenEncoderEpochs;
    if (lr_option_->count() == 0) options.learning_rate = train::kFrozenEncoderRate;
    if (patience_option_->count() == 0) options.patience = train::kFrozenEncoderPatience;
  }
  options.progress = !no_progress_;
  options.calibrate = !no_calibrate_;
  return options;
}

int TrainAndReport(const train::TrainOptions& options) {
  const auto report = train::Train(options);
  const auto& best = report.epochs.at(report.best_epoch - 1);
  std::printf(
      "trained %zu steps on %zu examples (+%zu unlabelled; %zu classes) in %.1f s; best epoch %zu: valid accuracy "
      "%.4f, F1 macro %.4f, F1 weighted %.4f -> %s\n",
      report.steps, report.train_examples, report.unlabeled_examples, report.labels.size(), report.total_seconds,
      report.best_epoch, best.valid_accuracy, best.valid_f1_macro, best.valid_f1_weighted, options.out_dir.c_str());
  return kExitOk;
}

}  // namespace fastintent::cli
