// fastintent export --checkpoint DIR --out MODEL_DIR [--plain (default) | --fused] [--opset N]
#include <CLI/CLI.hpp>
#include <iostream>

#include "command_registry.h"
#include "fastintent/export/onnx_export.h"

namespace fastintent::cli {
namespace {

int RunExport(int argc, char** argv) {
  CLI::App app{
      "Export a BERT/DistilBERT sequence-classification checkpoint (config.json + model.safetensors) "
      "to an ONNX model directory (model.onnx, config.json, tokenizer files), without Python or torch."};
  std::string checkpoint_dir;
  std::string out_dir;
  bool fused = false;
  bool plain = false;
  exporter::ExportOptions options;
  app.add_option("--checkpoint", checkpoint_dir, "Hugging Face checkpoint directory")->required();
  app.add_option("--out", out_dir, "Model directory to write (replaced atomically)")->required();
  auto* fused_flag =
      app.add_flag("--fused", fused, "ONNX Runtime contrib ops (Attention, SkipLayerNormalization, ...)");
  app.add_flag("--plain", plain,
               "Standard ONNX ops only, which ORT fuses at load (the default: faster once "
               "quantized, see docs/quantization.md)")
      ->excludes(fused_flag);
  app.add_option("--fallback-threshold", options.fallback_threshold,
                 "Write \"fallback_threshold\" into the model's config.json: a top score under it makes the "
                 "service answer \"fallback\": true (hand the text to an operator)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--opset", options.opset, "ONNX opset")
      ->check(CLI::Range(exporter::kMinOpset, exporter::kMaxOpset))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  options.graph = fused ? exporter::GraphKind::kFused : exporter::GraphKind::kPlain;
  const exporter::ExportSummary summary = exporter::ExportModelDirectory(checkpoint_dir, out_dir, options);
  std::cout << "wrote " << summary.model_file.string() << " (" << (fused ? "fused" : "plain") << " graph, opset "
            << options.opset << ", " << summary.weight_count << " weights)";
  for (const std::string& file : summary.copied_files) std::cout << ", " << file;
  std::cout << '\n';
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("export", "Export a checkpoint to an ONNX model directory (torch-free)", RunExport);

}  // namespace fastintent::cli
