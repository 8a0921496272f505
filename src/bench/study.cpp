#include "fastintent/bench/study.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "fastintent/bench/flops.h"
#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"
#include "fastintent/common/progress_bar.h"
#include "fastintent/text/tokenizer.h"
#include "long_text.h"

namespace fastintent::bench {
namespace {

// One cell of one model, its input made once, and per runtime the calls per visit once known.
struct PlannedCell {
  Cell cell;
  CellInput input;
  std::vector<std::optional<std::size_t>> calls;  // per runtime
  std::vector<CellResult> results;                // per runtime; empty samples = skipped
};

// A model directory without tokenizer files (the n-gram baseline) gets texts only: its runtimes read text.
std::optional<text::Tokenizer> LoadTokenizer(const std::filesystem::path& model_dir) {
  if (!std::filesystem::exists(model_dir / "tokenizer.json") && !std::filesystem::exists(model_dir / "vocab.txt"))
    return std::nullopt;
  return text::Tokenizer::Load(model_dir);
}

CellInput MakeInput(const Cell& cell, const std::optional<text::Tokenizer>& tokenizer, const StudyConfig& config,
                    const std::string& long_text) {
  CellInput input;
  input.texts.assign(cell.batch, cell.tokens == 0 ? config.phrase : long_text);
  input.padding = cell.padding;
  input.max_length = cell.tokens == 0 ? cell.max_length : cell.tokens;
  input.batch = cell.batch;
  if (!tokenizer) {
    if (cell.tokens != 0) {
      throw InvalidInput("bench: cell " + cell.Describe() + " cuts the long text into tokens, but model " + cell.model +
                         " has no tokenizer files; use the phrase");
    }
    return input;
  }
  text::EncodeOptions options;
  options.max_length = input.max_length;
  options.truncation = true;
  options.padding =
      cell.padding == Padding::kMaxLength ? text::PaddingStrategy::kMaxLength : text::PaddingStrategy::kLongest;
  const auto encodings = tokenizer->EncodeBatch(input.texts, options);
  input.batch = encodings.size();
  input.sequence = encodings.empty() ? 0 : encodings.front().ids.size();
  // Under max_length padding a short text is padded up to the cell's length, so count the real tokens.
  const std::size_t real_tokens = encodings.empty()
                                      ? 0
                                      : static_cast<std::size_t>(std::count(encodings.front().attention_mask.begin(),
                                                                            encodings.front().attention_mask.end(), 1));
  if (cell.tokens != 0 && real_tokens != cell.tokens) {
    throw InvalidInput("bench: the long text gives " + std::to_string(real_tokens) + " tokens with model " +
                       cell.model + ", cell " + cell.Describe() + " needs " + std::to_string(cell.tokens) +
                       "; give a longer --long-text");
  }
  for (const auto& e : encodings) {
    if (e.ids.size() != input.sequence) throw Error("bench: the tokenizer returned rows of different lengths");
    input.input_ids.insert(input.input_ids.end(), e.ids.begin(), e.ids.end());
    input.attention_mask.insert(input.attention_mask.end(), e.attention_mask.begin(), e.attention_mask.end());
    if (e.type_ids.size() == e.ids.size()) {
      input.token_type_ids.insert(input.token_type_ids.end(), e.type_ids.begin(), e.type_ids.end());
    } else {
      input.token_type_ids.insert(input.token_type_ids.end(), e.ids.size(), 0);
    }
  }
  return input;
}

void Validate(const StudyConfig& config) {
  if (config.cells.empty()) throw InvalidInput("bench: the study has no cells (give models, batches and inputs)");
  if (config.runtimes.empty()) throw InvalidInput("bench: the study has no runtimes");
  if (config.rounds == 0) throw InvalidInput("bench: rounds must be >= 1, got 0");
  if (config.min_calls == 0 || config.max_calls < config.min_calls) {
    throw InvalidInput("bench: calls per visit: got min " + std::to_string(config.min_calls) + ", max " +
                       std::to_string(config.max_calls) + ", expected 1 <= min <= max");
  }
  if (config.threads < 1) throw InvalidInput("bench: threads must be >= 1, got " + std::to_string(config.threads));
  if (!(config.round_ms > 0)) throw InvalidInput("bench: round_ms must be > 0");
  for (const Cell& cell : config.cells) {
    if (cell.batch == 0) throw InvalidInput("bench: cell " + cell.Describe() + " has batch 0");
    if (cell.tokens == 0 && cell.max_length < 2) {
      throw InvalidInput("bench: cell " + cell.Describe() + " has max_length " + std::to_string(cell.max_length) +
                         ", expected >= 2");
    }
  }
}

std::vector<std::string> ModelsInOrder(const std::vector<Cell>& cells) {
  std::vector<std::string> models;
  for (const Cell& cell : cells)
    if (std::find(models.begin(), models.end(), cell.model) == models.end()) models.push_back(cell.model);
  return models;
}

}  // namespace

std::string PaddingName(Padding padding) { return padding == Padding::kMaxLength ? "max_length" : "longest"; }

Padding ParsePadding(const std::string& text) {
  if (text == "max_length") return Padding::kMaxLength;
  if (text == "longest") return Padding::kLongest;
  throw InvalidInput("padding: got '" + text + "', expected 'max_length' or 'longest'");
}

std::string TimingName(Timing timing) { return timing == Timing::kEndToEnd ? "end-to-end" : "model-only"; }

Timing ParseTiming(const std::string& text) {
  if (text == "end-to-end") return Timing::kEndToEnd;
  if (text == "model-only") return Timing::kModelOnly;
  throw InvalidInput("timing: got '" + text + "', expected 'end-to-end' or 'model-only'");
}

std::string Cell::InputName() const { return tokens == 0 ? "phrase" : std::to_string(tokens) + " tokens"; }

std::string Cell::Describe() const {
  return group + " " + model + " batch " + std::to_string(batch) + ", " + InputName() + ", padding " +
         PaddingName(padding) + (tokens == 0 && padding == Padding::kMaxLength ? " " + std::to_string(max_length) : "");
}

std::string DefaultLongText() { return std::string(detail::LongRussianText()); }

GflopCounter MakeGflopCounter(const std::filesystem::path& models_dir) {
  auto shapes = std::make_shared<std::map<std::string, std::optional<checkpoint::ModelConfig>>>();
  return [models_dir, shapes](const std::string& model, std::size_t batch, std::size_t length) {
    auto [it, inserted] = shapes->try_emplace(model);
    if (inserted) {
      try {
        it->second = checkpoint::ReadModelConfig(models_dir / model / "config.json");
      } catch (const Error&) {
        it->second = std::nullopt;  // not an encoder with a readable shape (e.g. the n-gram model)
      }
    }
    return it->second ? CountForwardFlops(*it->second, batch, length, model).total() / 1e9 : 0.0;
  };
}

StudyResult RunStudy(const StudyConfig& config, const RunnerFactory& factory, const GflopCounter& gflop_of) {
  Validate(config);
  const std::string long_text = config.long_text.empty() ? DefaultLongText() : config.long_text;
  const std::size_t runtimes = config.runtimes.size();

  StudyResult study;
  study.machine = DescribeMachine();
  study.runtimes = config.runtimes;
  study.timing = config.timing;
  study.rounds = config.rounds;
  study.threads = config.threads;

  // Progress counts visits (cell x runtime x round).
  ProgressBar progress(stderr, config.cells.size() * runtimes * config.rounds, config.progress, "visits");
  for (const std::string& model : ModelsInOrder(config.cells)) {
    const std::filesystem::path model_dir = config.models_dir / model;
    const std::optional<text::Tokenizer> tokenizer = LoadTokenizer(model_dir);
    std::vector<PlannedCell> plan;
    for (const Cell& cell : config.cells) {
      if (cell.model != model) continue;
      PlannedCell planned{cell, MakeInput(cell, tokenizer, config, long_text), {}, {}};
      planned.calls.assign(runtimes, std::nullopt);
      for (const std::string& runtime : config.runtimes) {
        CellResult result;
        result.cell = cell;
        result.runtime = runtime;
        result.sequence_length = planned.input.sequence;
        result.gflop = gflop_of ? gflop_of(model, planned.input.batch, planned.input.sequence) : 0.0;
        planned.results.push_back(std::move(result));
      }
      plan.push_back(std::move(planned));
    }

    // Every runner of this model at once, so the rounds can alternate between them.
    std::vector<std::unique_ptr<Runner>> runners(runtimes);
    for (std::size_t r = 0; r < runtimes; ++r) {
      std::string reason;
      progress.SetLabel("loading " + model + " on " + config.runtimes[r]);
      runners[r] = factory(RunnerSpec{config.runtimes[r], model_dir, config.threads}, reason);
      if (!runners[r]) {
        study.skipped.push_back(config.runtimes[r] + " on " + model + ": " +
                                (reason.empty() ? "runtime not available" : reason));
      } else {
        study.configurations[config.runtimes[r]][model] = runners[r]->Configuration();
      }
    }

    for (std::size_t round = 0; round < config.rounds; ++round) {
      for (PlannedCell& planned : plan) {
        for (std::size_t k = 0; k < runtimes; ++k) {
          const std::size_t r = (k + round) % runtimes;  // the order rotates from round to round
          progress.SetLabel("round " + std::to_string(round + 1) + "/" + std::to_string(config.rounds) + " " +
                            planned.cell.Describe() + " " + config.runtimes[r]);
          if (runners[r]) {
            Runner& runner = *runners[r];
            runner.Prepare(planned.input, config.timing);
            const std::vector<double> warm = runner.TimeCalls(std::max<std::size_t>(config.warmup, 1));
            if (!planned.calls[r]) {
              const double estimate = std::max(Percentile(warm, 0.5), 1e-4);
              const auto wanted = static_cast<std::size_t>(std::ceil(config.round_ms / estimate));
              planned.calls[r] = std::clamp(wanted, config.min_calls, config.max_calls);
            }
            const std::vector<double> samples = runner.TimeCalls(*planned.calls[r]);
            if (samples.size() != *planned.calls[r]) {
              throw Error("bench: runtime " + config.runtimes[r] + " returned " + std::to_string(samples.size()) +
                          " timings for " + std::to_string(*planned.calls[r]) + " calls");
            }
            CellResult& result = planned.results[r];
            result.samples_ms.insert(result.samples_ms.end(), samples.begin(), samples.end());
            result.round_medians_ms.push_back(Percentile(samples, 0.5));
          }
          progress.Advance();
        }
      }
    }
    for (PlannedCell& planned : plan) {
      for (CellResult& result : planned.results) {
        if (result.samples_ms.empty()) continue;
        result.ms = Summarize(result.samples_ms);
        study.results.push_back(std::move(result));
      }
    }
  }
  progress.Finish();
  study.machine.load_after = ReadLoadAverage();
  return study;
}

}  // namespace fastintent::bench
