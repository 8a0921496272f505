#pragma once
// The seed article's study as a sweep of cells: Figure 4 (every model, batch 1, the fixed phrase),
// Figure 5 (one model, batch 1..128), Figure 6 (one model, sequence length 16..512 cut from a long text).
// Each cell times `trials` calls of tokenize+infer (the article's timed function) after `warmup` calls,
// then times tokenization alone. Runtimes are pluggable (Runner) so the sweep is tested without a model.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/bench/stats.h"

namespace fastintent::bench {

inline constexpr const char* kSeedPhrase = "как бы мне оператора услышать?";

enum class Padding { kMaxLength, kLongest };
std::string PaddingName(Padding padding);       // "max_length" / "longest"
Padding ParsePadding(const std::string& text);  // throws InvalidInput
std::vector<Padding> ParsePaddings(const std::vector<std::string>& names);

struct RunnerSpec {
  std::string runtime;  // e.g. "ort-fp32", "ort-int8", "ort-int8-reference"
  std::filesystem::path model_dir;
  Padding padding = Padding::kMaxLength;
  std::size_t max_length = 128;  // truncation length; also the padded length under kMaxLength
  int threads = 1;
};

// One runtime loaded for one spec. Calls come from one thread.
class Runner {
 public:
  virtual ~Runner() = default;
  // The timed function: tokenize `texts` and run the model (the article's onnx_inference / pytorch_inference).
  virtual void TokenizeAndInfer(const std::vector<std::string>& texts) = 0;
  // Tokenization alone with the same truncation and padding.
  virtual void TokenizeOnly(const std::vector<std::string>& texts) = 0;
  // Tokens per sequence the model computes on for `texts` (after truncation and padding).
  virtual std::size_t SequenceLength(const std::vector<std::string>& texts) = 0;
};

// Returns nullptr when the runtime is not available for this model (e.g. no reference INT8 file): the cell is
// skipped and the reason recorded. Throws on a broken model.
using RunnerFactory = std::function<std::unique_ptr<Runner>(const RunnerSpec&, std::string& skip_reason)>;

struct SweepConfig {
  std::filesystem::path models_dir = "models/bench";  // one model directory per model name
  std::vector<std::string> models;                    // Figure 4 models, in order
  std::string sweep_model = "rubert-tiny2";           // Figures 5 and 6
  std::vector<int> figures{4, 5, 6};
  std::vector<std::string> runtimes{"ort-fp32", "ort-int8", "ort-int8-reference"};
  std::vector<Padding> paddings{Padding::kMaxLength, Padding::kLongest};
  std::size_t trials = 30;
  std::size_t warmup = 5;
  int threads = 1;
  std::size_t max_length = 128;  // Figures 4 and 5: truncation / max_length padding
  std::vector<std::size_t> batch_sizes{1, 2, 4, 8, 16, 32, 64, 128};
  std::vector<std::size_t> sequence_lengths{16, 32, 64, 128, 256, 512};
  std::string phrase = kSeedPhrase;
  std::string long_text;  // Figure 6 input; must give >= the largest length
  bool progress = true;   // a progress bar on stderr
};

// The seed article's protocol: 10,000 trials, 1 thread, 100 warm-up calls.
void UseArticleProtocol(SweepConfig& sweep);

// Matmul GFLOP per call of a model under `models_dir`, from its config.json (read once per model); 0 when the
// shape cannot be read, which the report shows as "–".
using GflopCounter = std::function<double(const std::string& model, std::size_t batch, std::size_t length)>;
GflopCounter MakeGflopCounter(const std::filesystem::path& models_dir);

struct CellResult {
  int figure = 0;
  std::string model;
  std::string runtime;
  Padding padding = Padding::kMaxLength;
  std::size_t batch = 1;
  std::size_t max_length = 0;
  std::size_t sequence_length = 0;  // tokens per sequence the model computed on
  Summary total_ms;                 // tokenize + infer, per call
  Summary tokenize_ms;              // tokenization alone, per call
  double gflop = 0.0;               // matmul GFLOP per call (0 when the model shape is unknown)
};

struct SweepResult {
  std::vector<CellResult> cells;
  std::vector<std::string> skipped;  // "figure 4 model x runtime y: reason"
};

// Runs every cell of `config`. `gflop_of(model, batch, sequence_length)` gives the FLOP count (may return 0).
// Throws fastintent::InvalidInput for an inconsistent config (e.g. a long text shorter than a length).
SweepResult RunSweep(const SweepConfig& config, const RunnerFactory& factory, const GflopCounter& gflop_of);

}  // namespace fastintent::bench
