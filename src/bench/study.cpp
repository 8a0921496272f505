#include "fastintent/bench/study.h"

#include <algorithm>
#include <fstream>
#include <thread>

#include "fastintent/bench/peak.h"
#include "fastintent/common/atomic_directory.h"
#include "fastintent/common/error.h"
#include "long_text.h"

namespace fastintent::bench {
namespace {

std::string MachineSummary() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " logical CPUs";
}

}  // namespace

std::string DefaultLongText() { return std::string(detail::LongRussianText()); }

std::vector<std::string> DiscoverModels(const std::filesystem::path& models_dir) {
  if (!std::filesystem::is_directory(models_dir)) {
    throw InvalidInput("bench: models directory " + models_dir.string() +
                       " does not exist (make it with tools/bench/prepare_models.sh)");
  }
  static const std::vector<std::string> kSeedOrder = {"distilrubert-tiny-cased-conversational-5k",
                                                      "distilrubert-tiny-cased-conversational-v1", "rubert-tiny2",
                                                      "rubert-base-cased"};
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(models_dir)) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "config.json"))
      found.push_back(entry.path().filename().string());
  }
  auto rank = [&](const std::string& name) {
    const auto it = std::find(kSeedOrder.begin(), kSeedOrder.end(), name);
    return it == kSeedOrder.end() ? kSeedOrder.size() : static_cast<std::size_t>(it - kSeedOrder.begin());
  };
  std::sort(found.begin(), found.end(),
            [&](const std::string& a, const std::string& b) { return rank(a) != rank(b) ? rank(a) < rank(b) : a < b; });
  return found;
}

StudyOutputs RunStudy(const StudyOptions& options) {
  SweepConfig sweep = options.sweep;
  const bool needs_models = std::any_of(sweep.figures.begin(), sweep.figures.end(), [](int f) { return f == 4; });
  if (sweep.models.empty() && needs_models) sweep.models = DiscoverModels(sweep.models_dir);
  if (needs_models && sweep.models.empty()) {
    throw InvalidInput("bench: no model directories (with config.json) under " + sweep.models_dir.string());
  }
  if (sweep.long_text.empty()) sweep.long_text = std::string(detail::LongRussianText());

  ReportContext context;
  context.command = options.command;
  context.machine = MachineSummary();
  context.threads = sweep.threads;
  context.trials = sweep.trials;
  context.warmup = sweep.warmup;
  if (std::filesystem::exists(options.seed_architectures))
    context.article = LoadArticleRatios(options.seed_architectures);
  if (options.measure_peak) {
    const auto limits = MeasureHardwareLimits(1, std::chrono::milliseconds(options.peak_ms));
    if (limits.fp32_one_thread) context.peak_fp32_gflops = limits.fp32_one_thread->ops_per_second / 1e9;
    if (limits.int8_one_thread) context.peak_int8_gops = limits.int8_one_thread->ops_per_second / 1e9;
  }

  StudyOutputs outputs;
  outputs.result = RunSweep(sweep, MakeOrtRunnerFactory(), MakeGflopCounter(sweep.models_dir));
  for (const auto& csv : options.import_csv) {
    auto rows = ReadCsv(csv);
    outputs.result.cells.insert(outputs.result.cells.end(), rows.begin(), rows.end());
  }

  AtomicDirectory directory(options.output_dir);
  const auto& staging = directory.staging();
  WriteCsv(outputs.result.cells, staging / "results.csv");
  WriteJson(outputs.result, context, staging / "results.json");
  WriteSvgCharts(outputs.result, context.article, staging);
  WriteMarkdown(outputs.result, context, staging / "report.md");
  directory.Commit();
  for (const auto& entry : std::filesystem::directory_iterator(options.output_dir))
    outputs.files.push_back(entry.path());
  std::sort(outputs.files.begin(), outputs.files.end());
  return outputs;
}

}  // namespace fastintent::bench
