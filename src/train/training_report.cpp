#include "training_report.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/common/error.h"

namespace fastintent::train {

void WriteMetricsJson(const TrainReport& report, const TrainOptions& options, const std::filesystem::path& file) {
  nlohmann::json epochs = nlohmann::json::array();
  for (const auto& e : report.epochs) {
    epochs.push_back({{"epoch", e.epoch},
                      {"train_loss", e.train_loss},
                      {"valid_loss", e.valid_loss},
                      {"valid_accuracy", e.valid_accuracy},
                      {"valid_f1_macro", e.valid_f1_macro},
                      {"valid_f1_weighted", e.valid_f1_weighted},
                      {"valid_f1_micro", e.valid_f1_micro},
                      {"seconds", e.seconds},
                      {"examples_per_second", e.examples_per_second}});
  }
  nlohmann::json root = {{"options",
                          {{"base", options.base_checkpoint ? options.base_checkpoint->string() : ""},
                           {"shape", options.shape_file ? options.shape_file->string() : ""},
                           {"shape_name", options.shape_name},
                           {"train", options.train_file.string()},
                           {"valid", options.valid_file ? options.valid_file->string() : ""},
                           {"epochs", options.epochs},
                           {"batch_size", options.batch_size},
                           {"lr", options.learning_rate},
                           {"weight_decay", options.weight_decay},
                           {"warmup_ratio", options.warmup_ratio},
                           {"max_grad_norm", options.max_grad_norm},
                           {"class_weights", options.balanced_class_weights ? "balanced" : "none"},
                           {"label_smoothing", options.label_smoothing},
                           {"patience", options.patience},
                           {"max_length", options.max_length},
                           {"seed", options.seed},
                           {"threads", options.threads},
                           {"pooling", options.pooling ? checkpoint::PoolingName(*options.pooling) : "from the base"},
                           {"freeze_encoder", options.freeze_encoder},
                           {"teacher", options.teacher_dir ? options.teacher_dir->string() : ""},
                           {"distill_temperature", options.distill_temperature},
                           {"distill_alpha", options.distill_alpha}}},
                         {"labels", report.labels},
                         {"train_examples", report.train_examples},
                         {"unlabeled_examples", report.unlabeled_examples},
                         {"valid_examples", report.valid_examples},
                         {"teacher_seconds", report.teacher_seconds},
                         {"temperature", report.temperature},
                         {"multi_label", options.multi_label},
                         {"steps", report.steps},
                         {"best_epoch", report.best_epoch},
                         {"total_seconds", report.total_seconds},
                         {"epochs", epochs}};
  std::ofstream out(file);
  out << root.dump(2) << "\n";
  if (!out) throw IoError("cannot write " + file.string());
}

}  // namespace fastintent::train
