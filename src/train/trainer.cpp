// The training loop: AdamW with decoupled weight decay (not on biases/LayerNorm), linear warm-up then linear
// decay (transformers' get_linear_schedule_with_warmup), gradient clipping, optional balanced class weights,
// validation F1 macro after every epoch with early stopping, and the best epoch written atomically.
#include "fastintent/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>

#include "fastintent/checkpoint/model_shape.h"
#include "fastintent/common/atomic_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/common/progress_bar.h"
#include "fastintent/data/calibration.h"
#include "fastintent/data/dataset.h"
#include "fastintent/data/metrics.h"
#include "fastintent/data/multi_label.h"
#include "fastintent/runtime/classifier.h"
#include "fastintent/text/model_input.h"
#include "fastintent/text/tokenizer.h"
#include "fastintent/train/torch_classifier.h"
#include "frozen_features.h"
#include "optimizer.h"
#include "token_batches.h"
#include "torch_classifier_impl.h"
#include "training_report.h"
#include "validation.h"

namespace fastintent::train {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void ValidateOptions(const TrainOptions& o) {
  if (o.base_checkpoint.has_value() == o.shape_file.has_value()) {
    throw InvalidInput("give exactly one of --base CHECKPOINT_DIR and --shape SHAPE.json");
  }
  if (o.shape_file && o.tokenizer_dir.empty()) throw InvalidInput("--shape needs --tokenizer DIR");
  if (o.out_dir.empty()) throw InvalidInput("--out DIR is required");
  if (o.epochs == 0) throw InvalidInput("--epochs got 0, expected at least 1");
  if (o.batch_size == 0) throw InvalidInput("--batch-size got 0, expected at least 1");
  if (!(o.learning_rate > 0)) throw InvalidInput("--lr got " + std::to_string(o.learning_rate) + ", expected > 0");
  if (o.max_length < 2) throw InvalidInput("--max-length got " + std::to_string(o.max_length) + ", expected >= 2");
  if (!(o.valid_fraction > 0 && o.valid_fraction < 1)) {
    throw InvalidInput("--valid-fraction got " + std::to_string(o.valid_fraction) + ", expected in (0, 1)");
  }
  if (o.warmup_ratio < 0 || o.warmup_ratio > 1) {
    throw InvalidInput("--warmup-ratio got " + std::to_string(o.warmup_ratio) + ", expected in [0, 1]");
  }
  if (!(o.label_smoothing >= 0 && o.label_smoothing < 1)) {
    throw InvalidInput("--label-smoothing got " + std::to_string(o.label_smoothing) + ", expected in [0, 1)");
  }
  if (o.max_steps && *o.max_steps == 0) throw InvalidInput("--max-steps got 0, expected at least 1");
  if (!o.unlabeled_files.empty() && !o.teacher_dir) throw InvalidInput("--unlabeled needs --teacher (soft targets)");
  if (!(o.distill_temperature > 0)) {
    throw InvalidInput("--temperature got " + std::to_string(o.distill_temperature) + ", expected > 0");
  }
  if (!(o.distill_alpha >= 0 && o.distill_alpha <= 1)) {
    throw InvalidInput("--alpha got " + std::to_string(o.distill_alpha) + ", expected in [0, 1]");
  }
  if (o.keep_layers && !o.base_checkpoint) throw InvalidInput("--keep-layers needs --base (the layers to keep)");
  if (o.multi_label && o.teacher_dir) throw InvalidInput("--multi-label cannot be distilled from a teacher yet");
  if (o.freeze_encoder && !o.base_checkpoint) {
    throw InvalidInput("--freeze-encoder needs --base: a pretrained encoder to keep as it is (not a random --shape)");
  }
}

// Fills each example's teacher logits (in the student's class-id order) from the teacher model directory, run by
// the engine that serves it; `texts` are the examples' raw texts (the teacher adds its own input prefix).
void AddTeacherLogits(const TrainOptions& o, const std::vector<std::string>& labels,
                      const std::vector<std::string>& texts, std::vector<EncodedExample>& examples) {
  runtime::ClassifierOptions options;
  options.quantized = o.teacher_quantized;
  options.intra_op_threads = static_cast<int>(std::max<std::size_t>(o.threads, 1));
  const auto teacher = runtime::Classifier::Load(*o.teacher_dir, options);
  const auto& teacher_labels = teacher->info().labels;
  std::vector<std::size_t> column(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto found = std::find(teacher_labels.begin(), teacher_labels.end(), labels[i]);
    if (found == teacher_labels.end() || teacher_labels.size() != labels.size()) {
      throw InvalidInput("--teacher " + o.teacher_dir->string() + ": its labels differ from the training data's (" +
                         std::to_string(teacher_labels.size()) + " vs " + std::to_string(labels.size()) +
                         (found == teacher_labels.end() ? ", no \"" + labels[i] + "\"" : std::string()) + ")");
    }
    column[i] = static_cast<std::size_t>(found - teacher_labels.begin());
  }
  const auto logits = teacher->Logits(texts);
  for (std::size_t e = 0; e < examples.size(); ++e) {
    examples[e].teacher.resize(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) examples[e].teacher[i] = logits[e][column[i]];
  }
}

// The teacher logits [batch, classes] and the labelled mask [batch] of a batch (distillation).
void AddSoftTargets(const std::vector<EncodedExample>& examples, const std::vector<std::size_t>& indices,
                    LossOptions& loss) {
  const auto classes = static_cast<std::int64_t>(examples[indices.front()].teacher.size());
  loss.teacher_logits = torch::empty({static_cast<std::int64_t>(indices.size()), classes}, torch::kFloat);
  loss.labelled = torch::empty({static_cast<std::int64_t>(indices.size())}, torch::kBool);
  for (std::size_t row = 0; row < indices.size(); ++row) {
    const auto& example = examples[indices[row]];
    std::memcpy(loss.teacher_logits[static_cast<std::int64_t>(row)].data_ptr<float>(), example.teacher.data(),
                example.teacher.size() * sizeof(float));
    loss.labelled[static_cast<std::int64_t>(row)] = example.label >= 0;
  }
}

std::vector<data::Example> ReadNonEmpty(const fs::path& file, const data::ReadOptions& options) {
  auto examples = data::ReadExamples(file, options);
  if (examples.empty()) throw InvalidInput(file.string() + ": got no examples, expected at least one row");
  return examples;
}

// Checks that the tokenizer's ids and the sequence length fit the model.
void CheckCompatible(const checkpoint::ModelConfig& config, const text::Tokenizer& tokenizer, const TrainOptions& o) {
  if (tokenizer.vocab_size() > config.vocab_size) {
    throw InvalidInput("tokenizer " + o.tokenizer_dir.string() + " has " + std::to_string(tokenizer.vocab_size()) +
                       " tokens, but the model's vocab_size is " + std::to_string(config.vocab_size));
  }
  if (o.max_length > config.max_position_embeddings) {
    throw InvalidInput("--max-length got " + std::to_string(o.max_length) + ", expected <= the model's " +
                       std::to_string(config.max_position_embeddings) + " positions");
  }
}

TorchClassifier MakeModel(const TrainOptions& o, const std::vector<std::string>& labels,
                          const text::Tokenizer& tokenizer) {
  if (o.base_checkpoint) {
    return TorchClassifier::Load(*o.base_checkpoint, labels, o.seed, o.pooling,
                                 o.keep_layers.value_or(std::vector<std::size_t>{}));
  }
  checkpoint::ModelConfig config = checkpoint::ReadModelShape(*o.shape_file, o.shape_name);
  config.labels = labels;
  config.pad_token_id = static_cast<std::size_t>(tokenizer.pad_id());
  config.pooling = o.pooling.value_or(checkpoint::Pooling::kCls);
  return TorchClassifier::Random(config, o.seed);
}

std::vector<double> BalancedWeights(const std::vector<EncodedExample>& train, std::size_t classes) {
  std::vector<double> counts(classes, 0.0);
  for (const auto& e : train) {
    if (e.label >= 0) counts[static_cast<std::size_t>(e.label)] += 1.0;
  }
  std::vector<double> weights(classes, 0.0);
  for (std::size_t c = 0; c < classes; ++c) {
    double labelled = 0;
    for (double count : counts) labelled += count;
    weights[c] = counts[c] > 0 ? labelled / (static_cast<double>(classes) * counts[c]) : 0.0;
  }
  return weights;
}

std::string Summary(const EpochMetrics& m, bool multi_label) {
  char text[256];
  std::snprintf(text, sizeof(text), "train loss %.4f  valid loss %.4f  %s %.4f  F1 macro %.4f  %s %.4f  (%.1f s)",
                m.train_loss, m.valid_loss, multi_label ? "subset accuracy" : "accuracy", m.valid_accuracy,
                m.valid_f1_macro, multi_label ? "F1 micro" : "F1 weighted",
                multi_label ? m.valid_f1_micro : m.valid_f1_weighted, m.seconds);
  return text;
}

}  // namespace

TrainReport Train(const TrainOptions& o) {
  ValidateOptions(o);
  const auto started = Clock::now();
  SetTorchThreads(o.threads);
  TrainOptions options = o;
  if (options.tokenizer_dir.empty()) options.tokenizer_dir = *options.base_checkpoint;
  if (options.base_checkpoint && !fs::is_directory(*options.base_checkpoint)) {
    throw InvalidInput("--base: checkpoint directory " + options.base_checkpoint->string() + " does not exist");
  }
  const auto tokenizer = text::Tokenizer::Load(options.tokenizer_dir);

  data::Split split;
  if (options.valid_file) {
    split.train = ReadNonEmpty(options.train_file, options.read_options);
    split.valid = ReadNonEmpty(*options.valid_file, options.read_options);
  } else {
    try {
      split = data::StratifiedSplit(ReadNonEmpty(options.train_file, options.read_options), options.valid_fraction,
                                    options.seed,
                                    options.multi_label ? std::optional(options.label_separator) : std::nullopt);
    } catch (const InvalidInput& e) {
      const std::string message = e.what();
      if (message.rfind(options.train_file.string(), 0) == 0) throw;
      throw InvalidInput(options.train_file.string() + ": " + message + " (or give --valid FILE)");
    }
  }
  TrainReport report;
  report.labels =
      options.multi_label ? data::MultiLabelSet(split.train, options.label_separator) : data::LabelSet(split.train);
  if (report.labels.size() < 2) {
    throw InvalidInput(options.train_file.string() + ": got " + std::to_string(report.labels.size()) +
                       " label(s), expected at least 2 classes");
  }
  std::map<std::string, int> label_ids;
  for (std::size_t i = 0; i < report.labels.size(); ++i) label_ids[report.labels[i]] = static_cast<int>(i);

  auto model = MakeModel(options, report.labels, tokenizer);
  if (options.input_prefix) model.impl().config.input_prefix = *options.input_prefix;
  CheckCompatible(model.config(), tokenizer, options);
  // The normalizer table: as asked, else the base checkpoint's; stored with the checkpoint below.
  std::filesystem::path normalizer_table;
  if (options.text_normalizer) {
    normalizer_table = *options.text_normalizer;
  } else if (options.base_checkpoint && fs::is_regular_file(*options.base_checkpoint / text::kTextNormalizerFile)) {
    normalizer_table = *options.base_checkpoint / text::kTextNormalizerFile;
  }
  const text::ModelInput input(normalizer_table.empty() ? nullptr : text::LoadLayoutNormalizer(normalizer_table),
                               model.config().input_prefix);
  const std::optional<char> separator = options.multi_label ? std::optional(options.label_separator) : std::nullopt;
  auto train = EncodeExamples(tokenizer, split.train, label_ids, options.max_length, options.threads,
                              options.train_file.string(), input, separator);
  const auto valid =
      EncodeExamples(tokenizer, split.valid, label_ids, options.max_length, options.threads,
                     options.valid_file ? options.valid_file->string() : "validation split", input, separator);
  report.train_examples = train.size();
  if (options.teacher_dir) {
    const auto teacher_started = Clock::now();
    std::vector<std::string> texts;
    for (const auto& example : split.train) texts.push_back(example.text);
    for (const auto& file : options.unlabeled_files) {
      for (auto& text : data::ReadTexts(file, options.read_options)) texts.push_back(std::move(text));
    }
    const std::vector<std::string> unlabeled(texts.begin() + static_cast<std::ptrdiff_t>(train.size()), texts.end());
    auto extra = EncodeTexts(tokenizer, unlabeled, options.max_length, options.threads, input);
    report.unlabeled_examples = extra.size();
    train.insert(train.end(), std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
    if (options.progress) {
      std::fprintf(stderr, "teacher %s: soft targets for %zu labelled + %zu unlabelled texts\n",
                   options.teacher_dir->c_str(), report.train_examples, report.unlabeled_examples);
    }
    AddTeacherLogits(options, report.labels, texts, train);
    report.teacher_seconds = std::chrono::duration<double>(Clock::now() - teacher_started).count();
  }
  report.valid_examples = valid.size();
  const std::int64_t pad_id = tokenizer.pad_id();

  auto& module = *model.impl().module;
  torch::Tensor class_weights;
  if (options.balanced_class_weights) {
    const auto weights = BalancedWeights(train, report.labels.size());
    class_weights = torch::tensor(std::vector<float>(weights.begin(), weights.end()), torch::kFloat);
  }

  // How a batch becomes logits: the whole model over its tokens, or the head over features of the frozen encoder
  // computed once here (a linear probe; frozen_features.h).
  std::optional<FrozenFeatures> train_features, valid_features;
  if (options.freeze_encoder) {
    FreezeEncoder(module);
    const auto pooling = model.config().pooling.value_or(checkpoint::Pooling::kCls);
    const auto batches_of = [&](std::size_t examples) {
      return (examples + options.batch_size - 1) / options.batch_size;
    };
    ProgressBar encoding(stderr, batches_of(train.size()) + batches_of(valid.size()), options.progress, "batches");
    encoding.SetLabel("frozen encoder");
    train_features.emplace(module, train, options.batch_size, pad_id, pooling, encoding);
    valid_features.emplace(module, valid, options.batch_size, pad_id, pooling, encoding);
    encoding.Finish("encoded " + std::to_string(train.size()) + " training and " + std::to_string(valid.size()) +
                    " validation texts once (the encoder is frozen)");
  }
  const BatchLogits train_logits = [&](const std::vector<std::size_t>& indices) {
    return train_features ? train_features->Logits(module, indices)
                          : module.Logits(ToEncoderInputs(PadBatch(train, indices, pad_id)));
  };
  const BatchLogits valid_logits = [&](const std::vector<std::size_t>& indices) {
    return valid_features ? valid_features->Logits(module, indices)
                          : module.Logits(ToEncoderInputs(PadBatch(valid, indices, pad_id)));
  };

  auto optimizer = MakeAdamW(module, options.learning_rate, options.weight_decay);

  const std::size_t steps_per_epoch = (train.size() + options.batch_size - 1) / options.batch_size;
  std::size_t total_steps = steps_per_epoch * options.epochs;
  if (options.max_steps) total_steps = std::min(total_steps, *options.max_steps);
  const auto warmup_steps =
      static_cast<std::size_t>(std::llround(options.warmup_ratio * static_cast<double>(total_steps)));
  torch::manual_seed(options.seed);
  std::mt19937_64 rng(options.seed);
  ProgressBar progress(stderr, 1, options.progress, "steps");
  double best_f1 = -1;
  std::size_t epochs_without_gain = 0;
  std::vector<torch::Tensor> best_parameters;
  std::vector<double> best_thresholds;
  // The parameters training changes (all of them, or the head's with a frozen encoder): the best epoch's copy.
  std::vector<torch::Tensor> parameters;
  for (const auto& p : module.parameters()) {
    if (p.requires_grad()) parameters.push_back(p);
  }

  for (std::size_t epoch = 1; epoch <= options.epochs && report.steps < total_steps; ++epoch) {
    const auto epoch_start = Clock::now();
    auto batches = MakeBatches(train, options.batch_size, &rng);
    const std::size_t steps_this_epoch = std::min(batches.size(), total_steps - report.steps);
    progress.Restart(steps_this_epoch);
    progress.SetLabel("epoch " + std::to_string(epoch) + "/" + std::to_string(options.epochs));
    module.train();
    double loss_sum = 0;
    std::size_t examples_seen = 0;
    for (std::size_t b = 0; b < steps_this_epoch; ++b) {
      const auto& indices = batches[b];
      SetLearningRate(*optimizer,
                      LinearScheduleLearningRate(options.learning_rate, report.steps, warmup_steps, total_steps));
      LossOptions loss;
      loss.class_weights = class_weights;
      loss.label_smoothing = options.label_smoothing;
      loss.multi_label = options.multi_label;
      if (options.teacher_dir) {
        AddSoftTargets(train, indices, loss);
        loss.temperature = options.distill_temperature;
        loss.alpha = options.distill_alpha;
      }
      const double loss_value =
          TrainingStep(module, *optimizer, train_logits(indices),
                       Targets(train, indices, options.multi_label, report.labels.size()), loss, options.max_grad_norm);
      ++report.steps;
      loss_sum += loss_value;
      examples_seen += indices.size();
      char status[64];
      std::snprintf(status, sizeof status, "loss %.4f", loss_sum / static_cast<double>(b + 1));
      progress.SetStatus(status);
      progress.Advance();
    }
    const double train_seconds = std::chrono::duration<double>(Clock::now() - epoch_start).count();
    const auto evaluation =
        Validate(module, valid, valid_logits, report.labels, options.batch_size, class_weights, options.multi_label);

    EpochMetrics m;
    m.epoch = epoch;
    m.train_loss = steps_this_epoch ? loss_sum / static_cast<double>(steps_this_epoch) : 0.0;
    m.valid_loss = evaluation.loss;
    m.valid_accuracy = evaluation.accuracy;
    m.valid_f1_macro = evaluation.f1_macro;
    m.valid_f1_weighted = evaluation.f1_weighted;
    m.valid_f1_micro = evaluation.f1_micro;
    m.seconds = std::chrono::duration<double>(Clock::now() - epoch_start).count();
    m.examples_per_second = train_seconds > 0 ? static_cast<double>(examples_seen) / train_seconds : 0.0;
    report.epochs.push_back(m);
    progress.Finish(Summary(m, options.multi_label));

    if (m.valid_f1_macro > best_f1) {
      best_f1 = m.valid_f1_macro;
      report.best_epoch = epoch;
      epochs_without_gain = 0;
      best_parameters.clear();
      for (const auto& p : parameters) best_parameters.push_back(p.detach().clone());
      best_thresholds = evaluation.label_thresholds;
    } else if (options.patience > 0 && ++epochs_without_gain >= options.patience) {
      if (options.progress) {
        std::fprintf(stderr, "early stop: no better validation F1 macro for %zu epoch(s)\n", epochs_without_gain);
      }
      break;
    }
  }

  {
    torch::NoGradGuard no_grad;
    for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i].copy_(best_parameters[i]);
  }
  module.eval();
  auto& config = model.impl().config;
  config.multi_label = options.multi_label;
  config.label_thresholds = best_thresholds;
  if (!options.multi_label && options.calibrate) {
    // Temperature scaling on the validation split, at the best epoch's weights: scores that mean what they say.
    const auto best = Validate(module, valid, valid_logits, report.labels, options.batch_size, torch::Tensor(), false);
    config.temperature = data::FitTemperature(best.logits, best.truth);
    report.temperature = *config.temperature;
  }
  report.total_seconds = std::chrono::duration<double>(Clock::now() - started).count();

  AtomicDirectory out(options.out_dir);
  model.Save(out.staging());
  CopyTokenizerFiles(options.tokenizer_dir, out.staging());
  if (!normalizer_table.empty()) text::StoreLayoutNormalizer(normalizer_table, out.staging());
  WriteMetricsJson(report, options, out.staging() / "metrics.json");
  // The held-out split early stopping looked at, so later steps (quantize's accuracy gate) can use the same
  // examples without touching the test set.
  if (!options.valid_file) data::WriteCsv(split.valid, out.staging() / "valid_split.csv");
  {
    const fs::path svg_file = out.staging() / "learning_curve.svg";
    std::FILE* svg = std::fopen(svg_file.c_str(), "w");
    if (!svg) throw IoError("cannot write " + svg_file.string());
    const std::string text = LearningCurveSvg(report.epochs);
    const bool ok = std::fwrite(text.data(), 1, text.size(), svg) == text.size();
    if (std::fclose(svg) != 0 || !ok) throw IoError("cannot write " + svg_file.string());
  }
  out.Commit();
  return report;
}

}  // namespace fastintent::train
