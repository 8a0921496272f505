// `fastintent bench-torch`: the PyTorch row of the article's study over our libtorch BERT (inference mode), as
// rows of results.csv for `fastintent bench run --import-csv`. Same cells and defaults as `bench run`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "command_registry.h"
#include "fastintent/bench/report.h"
#include "fastintent/bench/study.h"
#include "fastintent/bench/torch_runner.h"
#include "fastintent/common/error.h"

namespace fastintent::cli {
namespace {

int RunBenchTorch(int argc, char** argv) {
  CLI::App app{
      "The article's PyTorch row over our libtorch BERT; writes results.csv rows for "
      "`fastintent bench run --import-csv`",
      "fastintent bench-torch"};
  bench::SweepConfig sweep;
  sweep.runtimes = {"pytorch"};
  std::vector<std::string> paddings{"max_length", "longest"};
  std::filesystem::path out = "var/bench-torch.csv";
  bool article = false, no_progress = false;
  app.add_option("--models-dir", sweep.models_dir, "Model directories; checkpoints in <dir>/checkpoints/<name>")
      ->capture_default_str();
  app.add_option("--models", sweep.models, "Figure 4 models (default: every directory under --models-dir)");
  app.add_option("--sweep-model", sweep.sweep_model, "Model of Figures 5 and 6")->capture_default_str();
  app.add_option("--figures", sweep.figures, "Figures to run (4, 5, 6)")->capture_default_str();
  app.add_option("--padding", paddings, "max_length and/or longest")->capture_default_str();
  app.add_option("--trials", sweep.trials, "Timed calls per cell")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  app.add_option("--warmup", sweep.warmup, "Untimed calls per cell first")->capture_default_str();
  app.add_option("--threads", sweep.threads, "torch intra-op threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  app.add_option("--max-length", sweep.max_length, "Figures 4-5 truncation / max_length padding")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  app.add_option("--batch-sizes", sweep.batch_sizes, "Figure 5 batch sizes")->capture_default_str();
  app.add_option("--lengths", sweep.sequence_lengths, "Figure 6 sequence lengths")->capture_default_str();
  app.add_option("--out", out, "CSV to write")->capture_default_str();
  app.add_flag("--article", article, "The article's protocol: 10000 trials, 1 thread, 100 warm-up calls");
  app.add_flag("--no-progress", no_progress, "No progress bar");
  CLI11_PARSE(app, argc, argv);

  if (article) bench::UseArticleProtocol(sweep);
  sweep.paddings = bench::ParsePaddings(paddings);
  sweep.progress = !no_progress;
  if (sweep.models.empty()) sweep.models = bench::DiscoverModels(sweep.models_dir);
  if (sweep.long_text.empty()) sweep.long_text = bench::DefaultLongText();

  const auto result =
      bench::RunSweep(sweep, bench::MakeTorchRunnerFactory(), bench::MakeGflopCounter(sweep.models_dir));
  if (!out.parent_path().empty()) std::filesystem::create_directories(out.parent_path());
  bench::WriteCsv(result.cells, out);
  std::printf("%zu cells timed, %zu skipped; wrote %s\n", result.cells.size(), result.skipped.size(),
              out.string().c_str());
  for (const auto& note : result.skipped) std::fprintf(stderr, "skipped: %s\n", note.c_str());
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("bench-torch", "The article's PyTorch row over our libtorch BERT (CSV for bench run --import-csv)",
                   RunBenchTorch);

}  // namespace fastintent::cli
