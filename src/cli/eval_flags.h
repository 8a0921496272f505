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

namespace fastintent::cli {

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

// Prints the markdown report and writes --markdown / --json. Returns the exit code.
int ReportEvaluation(const EvalFlags& flags, const std::string& runtime, const data::Evaluation& evaluation);

}  // namespace fastintent::cli
