#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/common/atomic_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/export/onnx_export.h"
#include "fastintent/export/model_files.h"

namespace fastintent::exporter {
namespace {

// Adds or replaces one key of the copied config.json, keeping every other key as the checkpoint wrote it.
void SetFallbackThreshold(const std::filesystem::path& config_json, double threshold) {
  if (!(threshold >= 0 && threshold <= 1)) {
    throw InvalidInput("fallback threshold: got " + std::to_string(threshold) + ", expected a number in [0, 1]");
  }
  nlohmann::json config;
  {
    std::ifstream in(config_json);
    if (!in) throw IoError(config_json.string() + ": cannot read the copied config.json");
    try {
      config = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw InvalidInput(config_json.string() + ": not valid JSON: " + e.what());
    }
  }
  config["fallback_threshold"] = threshold;
  std::ofstream out(config_json, std::ios::trunc);
  out << config.dump(2) << '\n';
  if (!out) throw IoError(config_json.string() + ": cannot write");
}

}  // namespace

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
    std::filesystem::copy_file(source, output.staging() / name, std::filesystem::copy_options::overwrite_existing, error);
    if (error) throw IoError(source.string() + ": cannot copy into " + output.staging().string() + ": " + error.message());
    summary.copied_files.emplace_back(name);
  }
  if (options.fallback_threshold) SetFallbackThreshold(output.staging() / "config.json", *options.fallback_threshold);
  output.Commit();
  summary.weight_count = checkpoint.weights.size();
  return summary;
}

}  // namespace fastintent::exporter
