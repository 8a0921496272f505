#pragma once
// Fine-tuning (or training from scratch) a BERT/DistilBERT sequence classifier on labelled texts.
// The CLI `fastintent train` is a thin main over Train().
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/data/dataset.h"

namespace fastintent::train {

struct TrainOptions {
  // Exactly one of base_checkpoint / shape_file.
  std::optional<std::filesystem::path> base_checkpoint;  // HF checkpoint dir (encoder weights)
  std::optional<std::filesystem::path> shape_file;       // shape JSON (random init), see model_shape.h
  std::string shape_name;                                // entry of a multi-model shape file
  std::filesystem::path tokenizer_dir;                   // default: base_checkpoint
  std::filesystem::path train_file;
  std::optional<std::filesystem::path> valid_file;  // default: stratified split of train_file
  double valid_fraction = 0.1;
  data::ReadOptions read_options;
  std::filesystem::path out_dir;

  std::size_t epochs = 3;
  std::size_t batch_size = 32;
  double learning_rate = 5e-5;
  double weight_decay = 0.01;           // not applied to biases and LayerNorm weights
  double warmup_ratio = 0.1;            // share of all steps with linear warm-up; then linear decay to 0
  double max_grad_norm = 1.0;           // 0 disables clipping
  bool balanced_class_weights = false;  // loss weight n / (classes * count) per class
  double label_smoothing = 0.0;         // training loss target: (1 - e) one-hot + e / classes; in [0, 1). The
                                        // validation loss stays plain cross-entropy, comparable across settings
  std::size_t patience = 0;             // stop after this many epochs without a better valid F1 macro; 0 = never
  std::size_t max_length = 128;         // tokens, special tokens included
  // How the head reads the encoder (default: the base checkpoint's config, else mean pooling for a BERT without
  // a trained pooler such as e5 or sentence-transformers, else [CLS]); written into the checkpoint.
  std::optional<checkpoint::Pooling> pooling;
  // Prepended to every text at training and, through the checkpoint's config.json, wherever the model runs
  // (eval, predict, serve). Default: the base checkpoint's (e5 checkpoints say "query: ").
  std::optional<std::string> input_prefix;
  // Keyboard-layout normalizer table (text/layout_normalizer.h) applied to every text before the prefix and stored
  // in the checkpoint as text_normalizer.json. Unset: the base checkpoint's, if it has one; empty path: none.
  std::optional<std::filesystem::path> text_normalizer;
  std::uint64_t seed = 42;
  std::size_t threads = 1;
  std::optional<std::size_t> max_steps;  // stop after this many optimizer steps in total (tests, time estimates)
  bool progress = true;                  // progress bar on stderr

  // Distillation (`fastintent distill`): a teacher model directory the engine serves (exported ONNX or n-gram,
  // its id2label the data's labels) gives soft targets for every training text and for the unlabelled texts;
  // the loss is distill_alpha * T^2 * KL(teacher_T || student_T) + (1 - distill_alpha) * cross-entropy.
  std::optional<std::filesystem::path> teacher_dir;
  bool teacher_quantized = false;                      // run the teacher's model_quantized.onnx (faster)
  std::vector<std::filesystem::path> unlabeled_files;  // in-domain texts without labels (.txt or a data set)
  double distill_temperature = 2.0;
  double distill_alpha = 0.5;
  // Student initialisation: keep only these encoder layers of --base (ascending, renumbered 0..n-1).
  std::optional<std::vector<std::size_t>> keep_layers;
  // Head-only training (a linear probe): the base encoder stays as loaded; its pooled output is computed once per
  // example and only the head (pooler / classifier) trains. Needs base_checkpoint.
  bool freeze_encoder = false;

  // Multi-label: the label field names several labels separated by label_separator ("a|b"); binary
  // cross-entropy per label; per-label thresholds chosen on the validation split go into config.json.
  bool multi_label = false;
  char label_separator = '|';
  // Temperature scaling of a single-label model on the validation split after training (config.json
  // "fastintent_temperature"): the served scores are calibrated probabilities.
  bool calibrate = true;
};

// The recipe `fastintent train --freeze-encoder` uses where its flags are not given: the head alone needs many
// more and larger steps than a fine-tune (each costs microseconds); chosen on validation splits (docs/training.md).
inline constexpr std::size_t kFrozenEncoderEpochs = 100;
inline constexpr double kFrozenEncoderRate = 1e-2;
inline constexpr std::size_t kFrozenEncoderPatience = 10;

struct EpochMetrics {
  std::size_t epoch = 0;  // 1-based
  double train_loss = 0;  // mean over the epoch's batches
  double valid_loss = 0;
  double valid_accuracy = 0;
  double valid_f1_macro = 0;
  double valid_f1_weighted = 0;  // single-label
  double valid_f1_micro = 0;     // multi-label (valid_accuracy is then the subset accuracy)
  double seconds = 0;
  double examples_per_second = 0;
};

struct TrainReport {
  std::vector<std::string> labels;
  std::vector<EpochMetrics> epochs;
  std::size_t best_epoch = 0;  // 1-based, the epoch whose weights were written
  std::size_t steps = 0;
  double teacher_seconds = 0;          // computing the teacher's logits
  std::size_t train_examples = 0;      // labelled
  std::size_t unlabeled_examples = 0;  // distillation's unlabelled texts
  std::size_t valid_examples = 0;
  double total_seconds = 0;
  double temperature = 1;  // fitted on the validation split (single-label, calibrate)
};

// Reads the data, trains, writes the best epoch's checkpoint into options.out_dir atomically (config.json,
// model.safetensors, tokenizer files, metrics.json, learning_curve.svg). Throws fastintent::Error
// subclasses for bad input (naming the file/field) and I/O failures.
TrainReport Train(const TrainOptions& options);

}  // namespace fastintent::train
