#pragma once
// The one flag set and report of `eval`, shared by the main executable (ONNX and n-gram models) and the
// libtorch executable (--runtime torch), so both take the same flags and print the same report.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/data/dataset.h"
#include "fastintent/data/evaluate.h"

namespace CLI {
class App;
}

namespace fastintent::cli {

// The flags that say how to read a labelled data file (--text-column, --label-column, --format), for every
// command that reads one (eval, ensemble). `format` is copied into read.format by the caller when set.
void AddDataFileFlags(CLI::App& app, data::ReadOptions& read, std::string& format);

struct EvalFlags {
  std::filesystem::path model;
  std::filesystem::path data;
  std::string runtime = "auto";
  data::ReadOptions read;
  std::string format;
  std::size_t batch_size = 64;
  std::size_t max_length = 0;
  int threads = 1;
  double fallback_threshold = -1;
  bool fallback_sweep = false;
  std::filesystem::path json_out;
  std::filesystem::path markdown_out;
  std::filesystem::path errors_out;       // JSONL: each misclassified or handed-over example
  std::filesystem::path predictions_out;  // JSONL: every example
  char label_separator = '|';             // several gold labels in one field (multi-label models)
  double target_precision = -1;           // choose and write the hand-off policy (main executable only)
  double target_recall = -1;
  bool calibrate = false;  // fit the temperature on --data and write it (main executable only)
};

// Parses `eval`'s flags into `flags`. Returns the exit code when parsing ended the command (--help, a bad
// flag), nullopt when the command should run.
std::optional<int> ParseEvalFlags(int argc, char** argv, EvalFlags& flags);

// What to evaluate: the examples of --data and the options the flags ask for.
struct EvalInput {
  std::vector<data::Example> examples;
  data::EvaluateOptions options;
};
EvalInput ReadEvalInput(EvalFlags& flags);

// Writes a text file (IoError naming it when it cannot).
void WriteTextFile(const std::filesystem::path& file, const std::string& content);

// Prints the markdown report and writes --markdown / --json / --errors / --predictions. `extra` is appended to
// the markdown (e.g. the calibration error without the model's temperature). Returns the exit code.
int ReportEvaluation(const EvalFlags& flags, const std::string& runtime, const data::Evaluation& evaluation,
                     const std::vector<data::Example>& examples, const std::string& extra = "");

}  // namespace fastintent::cli
