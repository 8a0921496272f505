#include "fastintent/bench/sweep.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

#include "fastintent/bench/flops.h"
#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"
#include "fastintent/common/progress_bar.h"

namespace fastintent::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct PlannedCell {
  int figure;
  std::string model;
  RunnerSpec spec;
  std::size_t batch;
  bool long_text;  // Figure 6: the long text cut at spec.max_length
};

std::vector<PlannedCell> Plan(const SweepConfig& config) {
  std::vector<PlannedCell> plan;
  auto spec = [&](const std::string& runtime, const std::string& model, Padding padding, std::size_t max_length) {
    return RunnerSpec{runtime, config.models_dir / model, padding, max_length, config.threads};
  };
  for (int figure : config.figures) {
    if (figure == 4) {
      for (const auto& model : config.models)
        for (const auto& runtime : config.runtimes)
          for (Padding padding : config.paddings)
            plan.push_back({4, model, spec(runtime, model, padding, config.max_length), 1, false});
    } else if (figure == 5) {
      for (const auto& runtime : config.runtimes)
        for (Padding padding : config.paddings)
          for (std::size_t batch : config.batch_sizes)
            plan.push_back(
                {5, config.sweep_model, spec(runtime, config.sweep_model, padding, config.max_length), batch, false});
    } else if (figure == 6) {
      // The long text is cut at every length, so both paddings give the same tensor: one padding suffices.
      for (const auto& runtime : config.runtimes)
        for (std::size_t length : config.sequence_lengths)
          plan.push_back(
              {6, config.sweep_model, spec(runtime, config.sweep_model, config.paddings.front(), length), 1, true});
    } else {
      throw InvalidInput("bench: figure " + std::to_string(figure) + " is not one of the article's figures 4, 5, 6");
    }
  }
  return plan;
}

bool SameSpec(const RunnerSpec& a, const RunnerSpec& b) {
  return a.runtime == b.runtime && a.model_dir == b.model_dir && a.padding == b.padding &&
         a.max_length == b.max_length && a.threads == b.threads;
}

std::vector<double> Time(std::size_t trials, const std::function<void()>& call, ProgressBar& progress) {
  std::vector<double> samples;
  samples.reserve(trials);
  for (std::size_t i = 0; i < trials; ++i) {
    const auto start = Clock::now();
    call();
    samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    progress.Advance();
  }
  return samples;
}

}  // namespace

std::string PaddingName(Padding padding) { return padding == Padding::kMaxLength ? "max_length" : "longest"; }

Padding ParsePadding(const std::string& text) {
  if (text == "max_length") return Padding::kMaxLength;
  if (text == "longest") return Padding::kLongest;
  throw InvalidInput("padding: got '" + text + "', expected 'max_length' or 'longest'");
}

std::vector<Padding> ParsePaddings(const std::vector<std::string>& names) {
  std::vector<Padding> paddings;
  for (const auto& name : names) paddings.push_back(ParsePadding(name));
  return paddings;
}

void UseArticleProtocol(SweepConfig& sweep) {
  sweep.trials = 10000;
  sweep.threads = 1;
  sweep.warmup = 100;
}

GflopCounter MakeGflopCounter(const std::filesystem::path& models_dir) {
  auto shapes = std::make_shared<std::map<std::string, std::optional<checkpoint::ModelConfig>>>();
  return [models_dir, shapes](const std::string& model, std::size_t batch, std::size_t length) {
    auto [it, inserted] = shapes->try_emplace(model);
    if (inserted) {
      try {
        it->second = checkpoint::ReadModelConfig(models_dir / model / "config.json");
      } catch (const Error&) {
        it->second = std::nullopt;
      }
    }
    return it->second ? CountForwardFlops(*it->second, batch, length, model).total() / 1e9 : 0.0;
  };
}

SweepResult RunSweep(const SweepConfig& config, const RunnerFactory& factory, const GflopCounter& gflop_of) {
  if (config.trials == 0) throw InvalidInput("bench: trials must be >= 1, got 0");
  if (config.paddings.empty()) throw InvalidInput("bench: no padding mode given, expected max_length and/or longest");
  if (config.threads < 1) throw InvalidInput("bench: threads must be >= 1, got " + std::to_string(config.threads));
  const std::vector<PlannedCell> plan = Plan(config);
  if (std::any_of(plan.begin(), plan.end(), [](const PlannedCell& c) { return c.long_text; }) &&
      config.long_text.empty()) {
    throw InvalidInput("bench: figure 6 needs a long text (--long-text), got none");
  }

  SweepResult result;
  ProgressBar progress(stderr, plan.size() * (2 * config.trials + config.warmup), config.progress, "calls");
  std::unique_ptr<Runner> runner;
  std::optional<RunnerSpec> loaded;
  std::string skip_reason;
  for (const PlannedCell& cell : plan) {
    const std::string where = "figure " + std::to_string(cell.figure) + " model " + cell.model + " runtime " +
                              cell.spec.runtime + " padding " + PaddingName(cell.spec.padding);
    progress.SetLabel("fig " + std::to_string(cell.figure) + " " + cell.model + " " + cell.spec.runtime + " " +
                      PaddingName(cell.spec.padding) + " b=" + std::to_string(cell.batch) +
                      " L=" + std::to_string(cell.spec.max_length));
    if (!loaded || !SameSpec(*loaded, cell.spec)) {
      runner.reset();  // release the previous model before loading the next (rubert-base is large)
      skip_reason.clear();
      runner = factory(cell.spec, skip_reason);
      loaded = cell.spec;
    }
    if (!runner) {
      const std::string note = where + ": " + (skip_reason.empty() ? "runtime not available" : skip_reason);
      if (result.skipped.empty() || result.skipped.back() != note) result.skipped.push_back(note);
      progress.Advance(2 * config.trials + config.warmup);
      continue;
    }
    const std::vector<std::string> texts(cell.batch, cell.long_text ? config.long_text : config.phrase);
    CellResult out;
    out.figure = cell.figure;
    out.model = cell.model;
    out.runtime = cell.spec.runtime;
    out.padding = cell.spec.padding;
    out.batch = cell.batch;
    out.max_length = cell.spec.max_length;
    out.sequence_length = runner->SequenceLength(texts);
    if (cell.long_text && out.sequence_length != cell.spec.max_length) {
      throw InvalidInput("bench: the long text gives " + std::to_string(out.sequence_length) +
                         " tokens at max_length " + std::to_string(cell.spec.max_length) + " for " + cell.model +
                         ", expected " + std::to_string(cell.spec.max_length) + "; give a longer --long-text");
    }
    for (std::size_t i = 0; i < config.warmup; ++i) {
      runner->TokenizeAndInfer(texts);
      progress.Advance();
    }
    out.total_ms = Summarize(Time(
        config.trials, [&] { runner->TokenizeAndInfer(texts); }, progress));
    out.tokenize_ms = Summarize(Time(
        config.trials, [&] { runner->TokenizeOnly(texts); }, progress));
    out.gflop = gflop_of ? gflop_of(cell.model, cell.batch, out.sequence_length) : 0.0;
    result.cells.push_back(std::move(out));
  }
  progress.Finish();
  return result;
}

}  // namespace fastintent::bench
