// `fastintent bench`: a study of cells (models x batch x input length x padding) timed on fastintent's engine and
// peers in interleaved rounds (`bench study`), this machine's hardware limit (`bench peak`), and the engine as a
// worker process (`bench worker`, the runner protocol). Thin: parses flags, hands to fastintent_bench.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "command_registry.h"
#include "fastintent/bench/flops.h"
#include "fastintent/bench/peak.h"
#include "fastintent/bench/presets.h"
#include "fastintent/bench/report.h"
#include "fastintent/bench/runners.h"
#include "fastintent/bench/worker.h"
#include "fastintent/checkpoint/model_shape.h"
#include "fastintent/common/error.h"

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

// "phrase" -> 0, "64" -> 64 (the long text cut at 64 tokens).
std::vector<std::size_t> ParseInputs(const std::vector<std::string>& names) {
  std::vector<std::size_t> inputs;
  for (const auto& name : names) {
    if (name == "phrase") {
      inputs.push_back(0);
      continue;
    }
    std::size_t used = 0;
    unsigned long value = 0;
    try {
      value = std::stoul(name, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != name.size() || value < 2) {
      throw InvalidInput("--inputs: got '" + name + "', expected 'phrase' or a token count >= 2");
    }
    inputs.push_back(value);
  }
  return inputs;
}

std::vector<bench::Padding> ParsePaddings(const std::vector<std::string>& names) {
  std::vector<bench::Padding> paddings;
  for (const auto& name : names) paddings.push_back(bench::ParsePadding(name));
  return paddings;
}

std::string ReadTextFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw IoError("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int RunBench(int argc, char** argv) {
  CLI::App app{"Benchmark studies of the engine and its peers (study), the hardware limit (peak), a runner worker",
               "fastintent bench"};
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

  auto* worker = app.add_subcommand(
      "worker", "Serve the engine's runtimes over the runner protocol on stdin/stdout (a study's worker process)");

  auto* study = app.add_subcommand(
      "study",
      "Time cells (models x batch x input x padding) on several runtimes in interleaved rounds; write "
      "results.csv, results.json, report.md and a chart per group");
  bench::StudyConfig config;
  config.runtimes = {"fastintent-fp32", "fastintent-int8"};
  std::string preset = "grid";
  bench::GridAxes grid;
  bench::ArticleFigures figures;
  std::vector<std::string> models, inputs{"phrase"}, paddings, timing_name{"end-to-end"};
  std::filesystem::path long_text_file, peers_file = "tools/peers/peers.json", output = "var/bench";
  std::filesystem::path seed_file = "configs/seed-architectures.json";
  bool article_protocol = false, no_peak = false, no_progress = false;
  study
      ->add_option("--preset", preset,
                   "grid: every model x --batches x --inputs x --padding; article-figures: the seed article's "
                   "Figures 4-6 (groups figure4, figure5, figure6)")
      ->capture_default_str()
      ->check(CLI::IsMember({"grid", "article-figures"}));
  study->add_option("--models-dir", config.models_dir, "One model directory per model (tools/bench/prepare_models.sh)")
      ->capture_default_str();
  study->add_option("--models", models, "Models (directory names; default: every directory under --models-dir)");
  study
      ->add_option("--runtimes", config.runtimes,
                   "Runtimes; the first is the baseline of the ratios. fastintent-fp32, fastintent-int8, "
                   "fastintent-ngram, fastintent:FILE, and the peers of --peers")
      ->capture_default_str();
  study->add_option("--peers", peers_file, "The peers' worker commands (JSON)")->capture_default_str();
  study->add_option("--batches", grid.batches, "grid: batch sizes")->capture_default_str();
  study->add_option("--inputs", inputs, "grid: 'phrase' and/or token counts (the long text cut at that length)")
      ->capture_default_str();
  study->add_option("--padding", paddings,
                    "max_length (the article's) and/or longest (default: longest for grid, both for article-figures)");
  study->add_option("--max-length", grid.max_length, "Truncation, and the padded length under max_length padding")
      ->capture_default_str()
      ->check(CLI::Range(2, 100000));
  study->add_option("--group", grid.group, "grid: the group name in reports and the chart's file name")
      ->capture_default_str();
  study->add_option("--sweep-model", figures.sweep_model, "article-figures: the model of Figures 5 and 6")
      ->capture_default_str();
  study->add_option("--figures", figures.figures, "article-figures: which of 4, 5, 6")->capture_default_str();
  study->add_option("--batch-sizes", figures.batch_sizes, "article-figures: Figure 5 batch sizes")
      ->capture_default_str();
  study->add_option("--lengths", figures.lengths, "article-figures: Figure 6 lengths")->capture_default_str();
  study->add_option("--timing", timing_name.front(), "end-to-end (tokenize + infer per call) or model-only")
      ->capture_default_str()
      ->check(CLI::IsMember({"end-to-end", "model-only"}));
  study->add_option("--rounds", config.rounds, "Interleaved rounds")->capture_default_str()->check(CLI::Range(1, 1000));
  study->add_option("--warmup", config.warmup, "Untimed calls at every visit of a runtime to a cell")
      ->capture_default_str();
  study->add_option("--round-ms", config.round_ms, "Timed milliseconds per visit (sets the calls per visit)")
      ->capture_default_str();
  study->add_option("--min-calls", config.min_calls, "Fewest timed calls per visit")->capture_default_str();
  study->add_option("--max-calls", config.max_calls, "Most timed calls per visit")->capture_default_str();
  study->add_option("--threads", config.threads, "Intra-op threads of every runtime (the article: 1)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  study->add_option("--phrase", config.phrase, "The phrase of 'phrase' inputs")->capture_default_str();
  study
      ->add_option("--long-text", long_text_file,
                   "Text file cut into token-count inputs (default: built-in, 593 "
                   "rubert-tiny2 tokens)")
      ->check(CLI::ExistingFile);
  study->add_option("--output", output, "Output directory (replaced); worker stderr goes to OUTPUT.workers.log")
      ->capture_default_str();
  study->add_option("--shapes", seed_file, "seed-architectures.json: the article's ratios beside its figures")
      ->capture_default_str();
  study->add_flag(
      "--article-protocol", article_protocol,
      "The article's protocol: 1 thread, 10,000 calls per cell (5 rounds x 2,000), 20 warm-up calls a visit");
  study->add_flag("--no-peak", no_peak, "Skip measuring the hardware limit");
  study->add_option("--peak-ms", peak_ms, "Timed milliseconds per peak kernel")->capture_default_str();
  study->add_flag("--no-progress", no_progress, "No progress bar");

  CLI11_PARSE(app, argc, argv);

  if (peak->parsed()) {
    const auto limits = bench::MeasureHardwareLimits(peak_threads, std::chrono::milliseconds(peak_ms));
    std::vector<checkpoint::NamedModelShape> shapes;
    if (std::filesystem::exists(shapes_file)) shapes = checkpoint::ReadModelShapes(shapes_file);
    PrintPeak(limits, shapes);
    return kExitOk;
  }
  if (worker->parsed()) return bench::ServeRunnerProtocol(std::cin, std::cout, bench::MakeEngineRunnerFactory());

  if (models.empty()) models = bench::DiscoverModels(config.models_dir);
  if (preset == "grid") {
    grid.models = models;
    grid.inputs = ParseInputs(inputs);
    grid.paddings = ParsePaddings(paddings.empty() ? std::vector<std::string>{"longest"} : paddings);
    config.cells = bench::GridCells(grid);
  } else {
    figures.models = models;
    if (!paddings.empty()) figures.paddings = ParsePaddings(paddings);
    figures.max_length = grid.max_length;
    config.cells = bench::ArticleFigureCells(figures);
  }
  config.timing = bench::ParseTiming(timing_name.front());
  if (article_protocol) bench::UseArticleProtocol(config);
  if (!long_text_file.empty()) config.long_text = ReadTextFile(long_text_file);
  config.progress = !no_progress;

  bench::ReportContext context;
  for (int i = 0; i < argc; ++i) context.command += (i ? " " : "") + std::string(argv[i]);
  if (preset == "article-figures" && std::filesystem::exists(seed_file))
    context.article = bench::LoadArticleRatios(seed_file);
  if (!no_peak) {
    const auto limits = bench::MeasureHardwareLimits(config.threads, std::chrono::milliseconds(peak_ms));
    const auto& fp32 = config.threads == 1 ? limits.fp32_one_thread : limits.fp32_all_threads;
    const auto& int8 = config.threads == 1 ? limits.int8_one_thread : limits.int8_all_threads;
    if (fp32) context.peak_fp32_gflops = fp32->ops_per_second / 1e9;
    if (int8) context.peak_int8_gops = int8->ops_per_second / 1e9;
  }
  const bench::PeerRegistry peers =
      std::filesystem::exists(peers_file) ? bench::LoadPeerRegistry(peers_file) : bench::PeerRegistry{};
  std::filesystem::path worker_log = output;
  worker_log += ".workers.log";
  if (!worker_log.parent_path().empty()) std::filesystem::create_directories(worker_log.parent_path());
  const bench::StudyResult result =
      bench::RunStudy(config, bench::MakeRunnerFactory(peers, worker_log), bench::MakeGflopCounter(config.models_dir));
  const auto files = bench::WriteStudyReport(result, context, output);
  std::printf("%zu results in %zu cells; wrote:\n", result.results.size(), config.cells.size());
  for (const auto& file : files) std::printf("  %s\n", file.string().c_str());
  for (const auto& note : result.skipped) std::fprintf(stderr, "skipped: %s\n", note.c_str());
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("bench", "Benchmark studies of the engine and peers, interleaved rounds; the hardware limit",
                   RunBench);

}  // namespace fastintent::cli
