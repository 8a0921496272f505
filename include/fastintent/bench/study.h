#pragma once
// `fastintent bench run` as a library call: measure the hardware limit, run the sweep over our ONNX Runtime
// engine, join rows timed elsewhere (the Python peers' CSV), and write results.csv, results.json,
// figure4/5/6.svg, speedups.svg and report.md into one output directory (replaced atomically).
#include <filesystem>
#include <string>
#include <vector>

#include "fastintent/bench/report.h"
#include "fastintent/bench/sweep.h"

namespace fastintent::bench {

struct StudyOptions {
  SweepConfig sweep;  // sweep.models empty = every model directory under sweep.models_dir
  std::filesystem::path output_dir = "var/bench";
  std::filesystem::path seed_architectures = "configs/seed-architectures.json";  // the article's ratios
  std::vector<std::filesystem::path> import_csv;                                 // extra rows in results.csv format
  bool measure_peak = true;  // 1-thread fp32/INT8 limits for the share-of-limit column
  int peak_ms = 200;
  std::string command;  // recorded in the report
};

struct StudyOutputs {
  SweepResult result;
  std::vector<std::filesystem::path> files;
};

// Throws fastintent::InvalidInput / IoError with the offending path or value.
StudyOutputs RunStudy(const StudyOptions& options);

// Model directories under `models_dir` (a directory holding config.json), seed-article names first in the
// article's order, then the rest alphabetically.
std::vector<std::string> DiscoverModels(const std::filesystem::path& models_dir);

// Figure 6's built-in input: a long Russian text (593 rubert-tiny2 tokens) written for this project.
std::string DefaultLongText();

// Runners over fastintent::runtime::Classifier for "ort-fp32", "ort-int8" (model_quantized.onnx) and
// "ort-int8-reference" (model_quantized_reference.onnx from tools/bench/make_reference_int8.py).
RunnerFactory MakeOrtRunnerFactory();

}  // namespace fastintent::bench
