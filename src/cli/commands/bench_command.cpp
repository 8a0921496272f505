// `fastintent bench`: the seed article's benchmark study over our ONNX Runtime engine (`bench run`) and this
// machine's hardware limit (`bench peak`). Thin: parses flags, hands to fastintent_bench.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "command_registry.h"
#include "fastintent/bench/flops.h"
#include "fastintent/bench/peak.h"
#include "fastintent/bench/study.h"
#include "fastintent/checkpoint/model_shape.h"

namespace fastintent::cli {
namespace {

void PrintPeak(const bench::HardwareLimits& limits, const std::vector<checkpoint::NamedModelShape>& shapes) {
  std::printf("%-18s %8s %14s\n", "kernel", "threads", "G(FL)OP/s");
  for (const auto& m : limits.measurements) {
    std::printf("%-18s %8d %14.1f\n", bench::PeakKernelName(m.kernel).c_str(), m.threads, m.ops_per_second / 1e9);
  }
  auto line = [](const char* what, const std::optional<bench::PeakMeasurement>& m) {
    if (m)
      std::printf("%-28s %10.1f G/s  (%s, %d thread%s)\n", what, m->ops_per_second / 1e9,
                  bench::PeakKernelName(m->kernel).c_str(), m->threads, m->threads == 1 ? "" : "s");
    else
      std::printf("%-28s not supported on this CPU\n", what);
  };
  std::printf("\nlimits\n");
  line("fp32 FMA, 1 thread", limits.fp32_one_thread);
  line("fp32 FMA, all threads", limits.fp32_all_threads);
  line("int8 VNNI, 1 thread", limits.int8_one_thread);
  line("int8 VNNI, all threads", limits.int8_all_threads);
  if (shapes.empty()) return;
  std::printf("\nmatmul GFLOP per forward pass (and the 1-thread fp32 floor in ms)\n");
  std::printf("%-44s %16s %16s\n", "model", "batch 1 x 16", "batch 32 x 64");
  const double peak = limits.fp32_one_thread ? limits.fp32_one_thread->ops_per_second : 0.0;
  for (const auto& shape : shapes) {
    const double small = bench::CountForwardFlops(shape.config, 1, 16, shape.name).total();
    const double large = bench::CountForwardFlops(shape.config, 32, 64, shape.name).total();
    std::printf("%-44s %7.4f (%5.3f) %7.3f (%6.2f)\n", shape.name.c_str(), small / 1e9,
                peak > 0 ? small / peak * 1e3 : 0.0, large / 1e9, peak > 0 ? large / peak * 1e3 : 0.0);
  }
}

int RunBench(int argc, char** argv) {
  CLI::App app{"The seed article's benchmark study (run) and this machine's hardware limit (peak)", "fastintent bench"};
  app.require_subcommand(1);

  auto* peak = app.add_subcommand("peak", "Measure fp32 FMA and INT8 VNNI peak throughput and print FLOPs per model");
  int peak_threads = 0;
  int peak_ms = 300;
  std::filesystem::path shapes_file = "configs/seed-architectures.json";
  peak->add_option("--threads", peak_threads, "Threads for the all-threads row (0 = hardware concurrency)")
      ->capture_default_str();
  peak->add_option("--ms", peak_ms, "Timed milliseconds per kernel and thread count")
      ->capture_default_str()
      ->check(CLI::Range(1, 60000));
  peak->add_option("--shapes", shapes_file, "seed-architectures.json for the FLOP table (skipped if absent)")
      ->capture_default_str();

  bench::StudyOptions study;
  auto& sweep = study.sweep;
  std::vector<std::string> paddings{"max_length", "longest"};
  std::filesystem::path long_text_file;
  bool article = false, no_peak = false, no_progress = false;
  auto* run = app.add_subcommand("run", "Time the engine over the article's figures 4-6; write CSV/JSON/SVG/markdown");
  run->add_option("--models-dir", sweep.models_dir, "One model directory per model (tools/bench/prepare_models.sh)")
      ->capture_default_str();
  run->add_option("--models", sweep.models, "Figure 4 models (default: every directory under --models-dir)");
  run->add_option("--sweep-model", sweep.sweep_model, "Model of Figures 5 and 6")->capture_default_str();
  run->add_option("--figures", sweep.figures, "Figures to run (4, 5, 6)")->capture_default_str();
  run->add_option("--runtimes", sweep.runtimes, "ort-fp32, ort-int8, ort-int8-reference")->capture_default_str();
  run->add_option("--padding", paddings, "max_length (the article's) and/or longest (ours)")->capture_default_str();
  run->add_option("--trials", sweep.trials, "Timed calls per cell (the article: 10000)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  run->add_option("--warmup", sweep.warmup, "Untimed calls per cell first")->capture_default_str();
  run->add_option("--threads", sweep.threads, "intra-op threads per session (the article: 1)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  run->add_option("--max-length", sweep.max_length,
                  "Figures 4-5: truncation length, and the padded length under "
                  "max_length padding")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  run->add_option("--batch-sizes", sweep.batch_sizes, "Figure 5 batch sizes")->capture_default_str();
  run->add_option("--lengths", sweep.sequence_lengths, "Figure 6 sequence lengths")->capture_default_str();
  run->add_option("--phrase", sweep.phrase, "Figures 4-5 text")->capture_default_str();
  run->add_option("--long-text", long_text_file,
                  "Figure 6 text file (default: a built-in Russian text, 593 "
                  "rubert-tiny2 tokens)")
      ->check(CLI::ExistingFile);
  run->add_option("--output", study.output_dir, "Output directory (replaced)")->capture_default_str();
  run->add_option("--import-csv", study.import_csv,
                  "Rows timed elsewhere (results.csv format), e.g. the "
                  "PyTorch row of tools/peers/article_stack/pytorch_inference.py")
      ->check(CLI::ExistingFile);
  run->add_option("--shapes", study.seed_architectures, "seed-architectures.json (the article's ratios)")
      ->capture_default_str();
  run->add_flag("--article", article, "The article's protocol: 10000 trials, 1 thread, 100 warm-up calls");
  run->add_flag("--no-peak", no_peak, "Skip measuring the hardware limit");
  run->add_flag("--no-progress", no_progress, "No progress bar");

  CLI11_PARSE(app, argc, argv);

  if (peak->parsed()) {
    const auto limits = bench::MeasureHardwareLimits(peak_threads, std::chrono::milliseconds(peak_ms));
    std::vector<checkpoint::NamedModelShape> shapes;
    if (std::filesystem::exists(shapes_file)) shapes = checkpoint::ReadModelShapes(shapes_file);
    PrintPeak(limits, shapes);
    return kExitOk;
  }
  if (article) bench::UseArticleProtocol(sweep);
  sweep.paddings = bench::ParsePaddings(paddings);
  if (!long_text_file.empty()) {
    std::ifstream in(long_text_file);
    std::ostringstream text;
    text << in.rdbuf();
    sweep.long_text = text.str();
  }
  sweep.progress = !no_progress;
  study.measure_peak = !no_peak;
  for (int i = 0; i < argc; ++i) study.command += (i ? " " : "") + std::string(argv[i]);
  const auto outputs = bench::RunStudy(study);
  std::printf("%zu cells timed, %zu skipped; wrote:\n", outputs.result.cells.size(), outputs.result.skipped.size());
  for (const auto& file : outputs.files) std::printf("  %s\n", file.string().c_str());
  for (const auto& note : outputs.result.skipped) std::fprintf(stderr, "skipped: %s\n", note.c_str());
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("bench", "Benchmark study (article figures 4-6, CSV/JSON/SVG/markdown) and hardware limit",
                   RunBench);

}  // namespace fastintent::cli
