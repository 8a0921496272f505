#include "fastintent/checkpoint/config_json.h"
#include "fastintent/common/atomic_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/export/model_files.h"
#include "fastintent/export/onnx_export.h"

namespace fastintent::exporter {

ExportSummary ExportModelDirectory(const std::filesystem::path& checkpoint_dir, const std::filesystem::path& out_dir,
                                   const ExportOptions& options) {
  const checkpoint::Checkpoint checkpoint = checkpoint::ReadCheckpoint(checkpoint_dir);
  const std::string model = BuildOnnxModel(checkpoint, options);

  AtomicDirectory output(out_dir);
  ExportSummary summary;
  summary.model_file = out_dir / kModelFile;
  WriteBinaryFile(output.staging() / kModelFile, model);
  for (const char* name : kCopiedFiles) {
    const std::filesystem::path source = checkpoint_dir / name;
    if (!std::filesystem::exists(source)) continue;
    std::error_code error;
    std::filesystem::copy_file(source, output.staging() / name, std::filesystem::copy_options::overwrite_existing,
                               error);
    if (error)
      throw IoError(source.string() + ": cannot copy into " + output.staging().string() + ": " + error.message());
    summary.copied_files.emplace_back(name);
  }
  if (options.fallback_threshold) {
    const double threshold = *options.fallback_threshold;
    if (!(threshold >= 0 && threshold <= 1)) {
      throw InvalidInput("fallback threshold: got " + std::to_string(threshold) + ", expected a number in [0, 1]");
    }
    checkpoint::UpdateConfigJson(output.staging() / "config.json", {{"fallback_threshold", threshold}});
  }
  output.Commit();
  summary.weight_count = checkpoint.weights.size();
  return summary;
}

}  // namespace fastintent::exporter
