#pragma once
// A benchmark study: cells (model x batch x input length x padding) timed on several runtimes in interleaved
// rounds. In every round each cell visits every runtime in turn (the order rotates from round to round), so a
// slow minute on a shared machine lands on all runtimes alike; each visit warms up, then times a few calls.
// Results are the pooled samples of all rounds, their median and interquartile range, and the median of each
// round (so drift between rounds is visible). Ratios between runtimes are ratios of medians (report.h).
// Runtimes are pluggable (Runner): our engine in process, peers in worker processes (runners.h).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fastintent/bench/machine.h"
#include "fastintent/bench/stats.h"

namespace fastintent::bench {

// The seed article's fixed phrase (8 tokens with the Russian tokenizers).
inline constexpr const char* kSeedPhrase = "как бы мне оператора услышать?";

enum class Padding {
  kMaxLength,  // every row padded to the cell's max_length (the seed article's padding="max_length")
  kLongest,    // rows padded to the longest row of the batch (fastintent's; Hugging Face's padding=True)
};
std::string PaddingName(Padding padding);       // "max_length" / "longest"
Padding ParsePadding(const std::string& text);  // throws InvalidInput naming the accepted values

// What one timed call covers.
enum class Timing {
  kEndToEnd,   // texts in, logits out: each runtime tokenizes with its own tokenizer inside the call (the article's)
  kModelOnly,  // token ids in, logits out: the ids come from fastintent's tokenizer (Hugging Face-exact), made once
};
std::string TimingName(Timing timing);        // "end-to-end" / "model-only"
Timing ParseTiming(const std::string& text);  // throws InvalidInput

// One cell: `batch` identical rows, each the phrase (tokens == 0) or the long text cut at exactly `tokens` tokens.
struct Cell {
  std::string group;  // the set of cells a report table and a chart show together, e.g. "figure5" or "grid"
  std::string model;  // a model directory under StudyConfig::models_dir
  std::size_t batch = 1;
  std::size_t tokens = 0;  // 0: the phrase; N: the long text cut at N tokens (and max_length = N)
  Padding padding = Padding::kLongest;
  std::size_t max_length = 128;   // truncation, and the padded length under kMaxLength
  std::string InputName() const;  // "phrase" or "N tokens"
  std::string Describe() const;   // "figure5 rubert-tiny2 batch 32, phrase, padding longest"
};

// A cell's input, made once per cell: the texts, and the same texts tokenized by fastintent's tokenizer
// (truncated and padded as the cell says) as row-major [batch, sequence] tensors. A model without tokenizer
// files (the n-gram baseline) gets the texts only (sequence 0, no tensors).
struct CellInput {
  std::vector<std::string> texts;
  Padding padding = Padding::kLongest;
  std::size_t max_length = 0;
  std::size_t batch = 0;
  std::size_t sequence = 0;
  std::vector<std::int64_t> input_ids;
  std::vector<std::int64_t> attention_mask;
  std::vector<std::int64_t> token_type_ids;
};

struct RunnerSpec {
  std::string runtime;  // e.g. "fastintent-fp32", "openvino-int8"
  std::filesystem::path model_dir;
  int threads = 1;  // intra-op threads of the runtime
};

// One runtime with one model loaded. Calls come from one thread.
class Runner {
 public:
  virtual ~Runner() = default;
  // Stages a cell's input (untimed); the following calls compute on it.
  virtual void Prepare(const CellInput& input, Timing timing) = 0;
  // Runs `calls` calls on the staged input and returns each call's wall time in milliseconds, timed where the
  // call runs (inside a worker process for a peer, so the pipe to it is not in the figure).
  virtual std::vector<double> TimeCalls(std::size_t calls) = 0;
  // One untimed call's logits, [batch][labels] (or [batch][1] for a runtime that only gives its top label's
  // score): to check that every runtime computes the same function (tools/peers/check_peers.py).
  virtual std::vector<std::vector<float>> Logits() = 0;
  // The runtime's configuration as it reports it (version, file, threads, options), written beside its results.
  virtual std::string Configuration() const = 0;
};

// Makes a runner, or returns nullptr with `skip_reason` set when the runtime cannot run this model (e.g. a
// peer's converted model is missing): its cells are skipped and the reason reported. Throws for an unknown
// runtime or a broken model.
using RunnerFactory = std::function<std::unique_ptr<Runner>(const RunnerSpec& spec, std::string& skip_reason)>;

// Matmul GFLOP per call of a model at (batch, sequence length); 0 when unknown (the report shows "–").
using GflopCounter = std::function<double(const std::string& model, std::size_t batch, std::size_t length)>;
// From each model directory's config.json under `models_dir` (read once per model).
GflopCounter MakeGflopCounter(const std::filesystem::path& models_dir);

struct StudyConfig {
  std::filesystem::path models_dir = "models/bench";
  std::vector<Cell> cells;
  std::vector<std::string> runtimes;  // the first is the baseline of the report's ratios
  Timing timing = Timing::kEndToEnd;
  std::size_t rounds = 5;
  std::size_t warmup = 2;  // untimed calls at every visit (a runner's first call on a cell is cold)
  // Timed calls per visit: about round_ms worth (from the first visit's warm-up), within [min_calls, max_calls],
  // then fixed for the rest of the study.
  double round_ms = 200.0;
  std::size_t min_calls = 3;
  std::size_t max_calls = 100;
  int threads = 1;
  std::string phrase = kSeedPhrase;
  std::string long_text;  // empty: the built-in long Russian text (DefaultLongText)
  bool progress = true;   // a progress bar on stderr
};

struct CellResult {
  Cell cell;
  std::string runtime;
  std::size_t sequence_length = 0;  // tokens per row the model computed on (after truncation and padding)
  std::vector<double> samples_ms;   // every timed call of every round, in order
  std::vector<double> round_medians_ms;
  Summary ms;          // over samples_ms
  double gflop = 0.0;  // matmul GFLOP per call (0 when unknown)
};

struct StudyResult {
  std::vector<CellResult> results;  // cell by cell in plan order, runtimes in StudyConfig::runtimes order
  std::vector<std::string> skipped;
  // runtime -> model -> the runner's Configuration()
  std::map<std::string, std::map<std::string, std::string>> configurations;
  std::vector<std::string> runtimes;  // as configured (the first is the baseline)
  Timing timing = Timing::kEndToEnd;
  std::size_t rounds = 0;
  int threads = 1;
  MachineInfo machine;  // load_before at the start, load_after at the end
};

// Runs the study model by model: all runners of a model are loaded together, its cells run in rounds, then the
// runners are released. Throws InvalidInput for an inconsistent config (no cells, no runtimes, a long text that
// is shorter than a cell's tokens).
StudyResult RunStudy(const StudyConfig& config, const RunnerFactory& factory, const GflopCounter& gflop_of);

// The built-in long input: a Russian text written for this project (593 rubert-tiny2 tokens), cut by the
// tokenizer at each length, as the seed article cut a long text for its Figure 6.
std::string DefaultLongText();

}  // namespace fastintent::bench
