// fastintent quantize --model MODEL_DIR [--per-channel] [--weight-type s8|u8] [--quantize-embeddings]
//                     [--valid FILE --max-f1-drop 1.0] [--force]
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "command_registry.h"
#include "fastintent/export/quantize.h"

namespace fastintent::cli {
namespace {

int RunQuantize(int argc, char** argv) {
  CLI::App app{
      "Dynamic INT8 quantization: MODEL_DIR/model.onnx -> MODEL_DIR/model_quantized.onnx. With --valid, "
      "refuses (exit 1, nothing written) when F1 macro drops more than --max-f1-drop points."};
  std::string model_dir;
  std::string weight_type = "s8";
  std::string valid_file;
  exporter::QuantizeOptions options;
  exporter::AccuracyGate gate;
  app.add_option("--model", model_dir, "Model directory with model.onnx")->required();
  app.add_flag("--per-channel", options.per_channel, "One scale per output column (default: per tensor)");
  app.add_option("--weight-type", weight_type, "s8 (signed, symmetric) or u8 (unsigned, asymmetric)")
      ->check(CLI::IsMember({"s8", "u8"}))
      ->capture_default_str();
  app.add_flag("--quantize-embeddings", options.quantize_embeddings,
               "Store the embedding tables as uint8 (plain graphs only; default: kept float)");
  app.add_option("--valid", valid_file, "Labelled CSV/TSV/JSONL to compare fp32 and INT8 F1 macro on");
  app.add_option("--max-f1-drop", gate.max_f1_drop, "Largest accepted F1 macro drop, in points")->capture_default_str();
  app.add_flag("--force", gate.force, "Write the INT8 model even when the gate fails");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  options.weight_type = weight_type == "u8" ? exporter::WeightType::kU8 : exporter::WeightType::kS8;
  std::optional<exporter::AccuracyGate> maybe_gate;
  if (!valid_file.empty()) {
    gate.valid_file = valid_file;
    maybe_gate = gate;
  }
  const auto result = exporter::QuantizeModelDirectory(model_dir, options, maybe_gate);
  const auto& s = result.summary;
  std::printf("quantized %zu MatMul, %zu Attention, %zu embedding table(s): %.1f MB -> %.1f MB\n", s.matmuls,
              s.attentions, s.embeddings, static_cast<double>(s.input_bytes) / 1e6,
              static_cast<double>(s.output_bytes) / 1e6);
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
