#include <unistd.h>

#include "accuracy_gate.h"
#include "fastintent/common/error.h"
#include "fastintent/export/model_files.h"
#include "fastintent/export/quantize.h"

namespace fastintent::exporter {

QuantizeDirectoryResult QuantizeModelDirectory(const std::filesystem::path& model_dir, const QuantizeOptions& options,
                                               const std::optional<AccuracyGate>& gate) {
  const std::filesystem::path input = model_dir / kModelFile;
  if (!std::filesystem::exists(input)) {
    throw IoError(input.string() + ": no such file (expected a model directory written by `fastintent export`)");
  }
  if (gate && (gate->max_f1_drop < 0 || gate->max_f1_drop > 100)) {
    throw InvalidInput("--max-f1-drop: got " + std::to_string(gate->max_f1_drop) + ", expected 0..100 F1 points");
  }
  QuantizeDirectoryResult result;
  const std::string quantized = QuantizeOnnxModel(ReadBinaryFile(input), options, result.summary);

  // Written beside the target and renamed into place: readers see the old file or the new one, never half.
  result.output_file = model_dir / kQuantizedModelFile;
  const std::filesystem::path staged =
      model_dir / ("." + std::string(kQuantizedModelFile) + ".tmp-" + std::to_string(::getpid()));
  struct RemoveOnExit {
    std::filesystem::path path;
    ~RemoveOnExit() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } cleanup{staged};
  WriteBinaryFile(staged, quantized);

  if (gate) {
    result.gate = EvaluateGate(model_dir, input, staged, *gate);
    if (!result.gate->passed && !gate->force) return result;
  }
  std::error_code error;
  std::filesystem::rename(staged, result.output_file, error);
  if (error)
    throw IoError(result.output_file.string() + ": cannot move the quantized model into place: " + error.message());
  result.written = true;
  return result;
}

}  // namespace fastintent::exporter
