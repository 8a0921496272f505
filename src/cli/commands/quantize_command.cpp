// fastintent quantize --model MODEL_DIR [--per-tensor] [--weight-type s8|u8] [--quantize-embeddings]
//                     [--keep-float PATTERN,...] [--valid FILE | --no-gate] [--max-f1-drop 1.0] [--force]
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "command_registry.h"
#include "fastintent/checkpoint/config_json.h"
#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/export/quantize.h"

namespace fastintent::cli {
namespace {

// An ensemble has no model.onnx of its own: say what to do instead of "no model.onnx".
void RefuseEnsemble(const std::filesystem::path& model_dir) {
  const std::filesystem::path config = model_dir / "config.json";
  if (!std::filesystem::is_regular_file(config)) return;
  if (checkpoint::ConfigView::Read(config).StringOr("model_type", "") != checkpoint::kEnsembleModelType) return;
  throw InvalidInput("--model " + model_dir.string() +
                     ": an ensemble (config.json model_type \"fastintent-ensemble\") has no model.onnx of its own; "
                     "quantize its ONNX members (fastintent quantize --model " +
                     (model_dir / "<member>").string() + ") and run it with --quantized / --runtime onnx-int8");
}

std::string JoinPatterns(const std::vector<std::string>& patterns) {
  std::string joined;
  for (const auto& pattern : patterns) joined += (joined.empty() ? "" : " ") + pattern;
  return joined;
}

int RunQuantize(int argc, char** argv) {
  CLI::App app{
      "Dynamic INT8 quantization: MODEL_DIR/model.onnx -> MODEL_DIR/model_quantized.onnx. The accuracy gate runs "
      "on --valid, or by default on MODEL_DIR/valid_split.csv (the validation split training held out, copied by "
      "export): it refuses (exit 1, nothing written) when F1 macro drops more than --max-f1-drop points."};
  std::string model_dir;
  std::string weight_type = "s8";
  std::string valid_file;
  exporter::QuantizeOptions options;
  exporter::AccuracyGate gate;
  app.add_option("--model", model_dir, "Model directory with model.onnx")->required();
  bool per_tensor = false, no_gate = false;
  app.add_flag("--per-tensor", per_tensor, "One scale per weight matrix (default: one per output column)");
  app.add_flag("--per-channel", options.per_channel, "One scale per output column (the default; kept for scripts)");
  auto* keep_float =
      app.add_option("--keep-float", options.keep_float,
                     "Weights whose name contains one of these stay float (default: classifier.; give \"\" for "
                     "none). Without it, a gate drop over --target-f1-drop quantizes again with every block's "
                     "output projection float too, and keeps the model that loses less")
          ->delimiter(',')
          ->capture_default_str();
  app.add_option("--weight-type", weight_type, "s8 (signed, symmetric) or u8 (unsigned, asymmetric)")
      ->check(CLI::IsMember({"s8", "u8"}))
      ->capture_default_str();
  app.add_flag("--quantize-embeddings", options.quantize_embeddings,
               "Store the embedding tables as uint8 (plain graphs only; default: kept float)");
  app.add_option("--valid", valid_file,
                 "Labelled CSV/TSV/JSONL to compare fp32 and INT8 F1 macro on (default: MODEL_DIR/valid_split.csv "
                 "when there)");
  app.add_flag("--no-gate", no_gate, "Write without comparing fp32 and INT8");
  app.add_option("--max-f1-drop", gate.max_f1_drop, "Largest accepted F1 macro drop, in points")->capture_default_str();
  app.add_option("--target-f1-drop", gate.target_f1_drop,
                 "F1 macro drop, in points, above which the default quantization tries its second rung")
      ->capture_default_str();
  app.add_flag("--force", gate.force, "Write the INT8 model even when the gate fails");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  RefuseEnsemble(model_dir);
  options.weight_type = weight_type == "u8" ? exporter::WeightType::kU8 : exporter::WeightType::kS8;
  if (per_tensor) options.per_channel = false;
  options.escalate = keep_float->count() == 0;
  std::erase(options.keep_float, std::string());
  if (no_gate && !valid_file.empty()) throw InvalidInput("--no-gate and --valid exclude each other");
  if (valid_file.empty() && !no_gate &&
      std::filesystem::is_regular_file(std::filesystem::path(model_dir) / "valid_split.csv")) {
    valid_file = (std::filesystem::path(model_dir) / "valid_split.csv").string();
  }
  std::optional<exporter::AccuracyGate> maybe_gate;
  if (!valid_file.empty()) {
    gate.valid_file = valid_file;
    maybe_gate = gate;
  }
  const auto result = exporter::QuantizeModelDirectory(model_dir, options, maybe_gate);
  for (const auto& attempt : result.set_aside) {
    std::printf("set aside: keeping float [%s] (%zu weights): gate F1 macro drop %.2f, top-1 agreement %.2f%%\n",
                JoinPatterns(attempt.keep_float).c_str(), attempt.summary.kept_float,
                attempt.gate.fp32_f1 - attempt.gate.int8_f1, attempt.gate.agreement);
  }
  if (!result.set_aside.empty()) {
    std::printf("kept: keeping float [%s] (drop over --target-f1-drop %.2f: the second rung was tried)\n",
                JoinPatterns(result.keep_float).c_str(), gate.target_f1_drop);
  }
  const auto& s = result.summary;
  std::printf("quantized %zu MatMul, %zu Attention, %zu embedding table(s) (%s; %zu kept float): %.1f MB -> %.1f MB\n",
              s.matmuls, s.attentions, s.embeddings, options.per_channel ? "per channel" : "per tensor", s.kept_float,
              static_cast<double>(s.input_bytes) / 1e6, static_cast<double>(s.output_bytes) / 1e6);
  if (maybe_gate) std::printf("gate: %s\n", valid_file.c_str());
  if (result.gate) {
    const auto& g = *result.gate;
    std::printf(
        "gate on %zu examples: F1 macro fp32 %.2f, int8 %.2f (drop %.2f, max %.2f); accuracy %.2f -> %.2f; "
        "top-1 agreement %.2f%%\n",
        g.examples, g.fp32_f1, g.int8_f1, g.fp32_f1 - g.int8_f1, gate.max_f1_drop, g.fp32_accuracy, g.int8_accuracy,
        g.agreement);
  }
  if (!result.written) {
    std::fprintf(stderr,
                 "quantize: refused: F1 macro dropped %.2f points, more than --max-f1-drop %.2f; nothing was "
                 "written (use --force to write anyway)\n",
                 result.gate->fp32_f1 - result.gate->int8_f1, gate.max_f1_drop);
    return kExitFailure;
  }
  std::printf("wrote %s\n", result.output_file.string().c_str());
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("quantize", "Dynamic INT8 quantization of an exported model, with an F1 gate", RunQuantize);

}  // namespace fastintent::cli
