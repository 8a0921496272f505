#pragma once
// The flags of `fastintent train`, shared with `fastintent distill` (which adds the teacher's): one set of
// options, defaults shown in --help, turned into train::TrainOptions once parsed.
#include <CLI/CLI.hpp>
#include <string>

#include "fastintent/train/trainer.h"

namespace fastintent::cli {

class TrainFlags {
 public:
  // Adds every training flag to `app`.
  explicit TrainFlags(CLI::App& app);
  // The options the parsed flags say.
  train::TrainOptions Options() const;

 private:
  train::TrainOptions options_;
  std::string arch_ = "bert";
  std::string base_, shape_, tokenizer_, valid_, format_, class_weights_ = "none";
  std::size_t max_steps_ = 0;
  bool no_progress_ = false;
  bool no_calibrate_ = false;
  std::string pooling_, input_prefix_, text_normalizer_;
  CLI::Option* prefix_option_ = nullptr;
  CLI::Option* epochs_option_ = nullptr;
  CLI::Option* lr_option_ = nullptr;
  CLI::Option* patience_option_ = nullptr;
};

// Trains and prints the one-line summary; returns the exit code.
int TrainAndReport(const train::TrainOptions& options);

}  // namespace fastintent::cli
