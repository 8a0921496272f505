#include <unistd.h>

#include <algorithm>

#include "accuracy_gate.h"
#include "fastintent/common/error.h"
#include "fastintent/export/model_files.h"
#include "fastintent/export/quantize.h"

namespace fastintent::exporter {
namespace {

// A quantized model written beside the target under a temporary name, removed unless moved into place.
struct StagedModel {
  std::filesystem::path path;
  std::vector<std::string> keep_float;
  QuantizeSummary summary;
  std::optional<GateResult> gate;

  StagedModel() = default;
  StagedModel(const StagedModel&) = delete;
  StagedModel& operator=(const StagedModel&) = delete;
  ~StagedModel() {
    std::error_code ignored;
    if (!path.empty()) std::filesystem::remove(path, ignored);
  }
  double Drop() const { return gate->fp32_f1 - gate->int8_f1; }
};

void QuantizeAndGate(const std::filesystem::path& model_dir, const std::string& model_bytes,
                     const QuantizeOptions& options, const std::optional<AccuracyGate>& gate, int attempt,
                     StagedModel& staged) {
  staged.keep_float = options.keep_float;
  const std::string quantized = QuantizeOnnxModel(model_bytes, options, staged.summary);
  staged.path = model_dir / ("." + std::string(kQuantizedModelFile) + ".tmp-" + std::to_string(::getpid()) + "-" +
                             std::to_string(attempt));
  WriteBinaryFile(staged.path, quantized);
  if (gate) staged.gate = EvaluateGate(model_dir, model_dir / kModelFile, staged.path, *gate);
}

QuantizeAttempt SetAside(const StagedModel& staged) { return {staged.keep_float, staged.summary, *staged.gate}; }

}  // namespace

QuantizeDirectoryResult QuantizeModelDirectory(const std::filesystem::path& model_dir, const QuantizeOptions& options,
                                               const std::optional<AccuracyGate>& gate) {
  const std::filesystem::path input = model_dir / kModelFile;
  if (!std::filesystem::exists(input)) {
    throw IoError(input.string() + ": no such file (expected a model directory written by `fastintent export`)");
  }
  if (gate && (gate->max_f1_drop < 0 || gate->max_f1_drop > 100)) {
    throw InvalidInput("--max-f1-drop: got " + std::to_string(gate->max_f1_drop) + ", expected 0..100 F1 points");
  }
  if (gate && (gate->target_f1_drop < 0 || gate->target_f1_drop > 100)) {
    throw InvalidInput("--target-f1-drop: got " + std::to_string(gate->target_f1_drop) + ", expected 0..100 F1 points");
  }
  const std::string model_bytes = ReadBinaryFile(input);
  StagedModel first, second;
  QuantizeAndGate(model_dir, model_bytes, options, gate, 0, first);
  const StagedModel* chosen = &first;
  QuantizeDirectoryResult result;
  if (options.escalate && gate && first.Drop() > gate->target_f1_drop) {
    QuantizeOptions wider = options;
    for (const auto& pattern : kOutputProjections) {
      if (std::find(wider.keep_float.begin(), wider.keep_float.end(), pattern) == wider.keep_float.end()) {
        wider.keep_float.push_back(pattern);
      }
    }
    QuantizeOnnxModel(model_bytes, wider, second.summary);  // count first: a graph without such names gains nothing
    if (second.summary.kept_float > first.summary.kept_float) {
      second.summary = {};
      QuantizeAndGate(model_dir, model_bytes, wider, gate, 1, second);
      // The faster first rung stays unless the second loses less.
      if (second.Drop() < first.Drop()) {
        chosen = &second;
        result.set_aside.push_back(SetAside(first));
      } else {
        result.set_aside.push_back(SetAside(second));
      }
    }
  }
  result.summary = chosen->summary;
  result.gate = chosen->gate;
  result.keep_float = chosen->keep_float;
  if (result.gate) {
    result.gate->passed = chosen->Drop() <= gate->max_f1_drop;
    if (!result.gate->passed && !gate->force) return result;
  }

  // Renamed into place: readers see the old file or the new one, never half.
  result.output_file = model_dir / kQuantizedModelFile;
  std::error_code error;
  std::filesystem::rename(chosen->path, result.output_file, error);
  if (error)
    throw IoError(result.output_file.string() + ": cannot move the quantized model into place: " + error.message());
  result.written = true;
  return result;
}

}  // namespace fastintent::exporter
