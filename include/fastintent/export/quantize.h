#pragma once
// Dynamic INT8 quantization of an exported classifier (fastintent or Optimum/torch.onnx layout): weights are
// quantized once, activations per run. Only std types here.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fastintent::exporter {

enum class WeightType {
  kS8,  // int8, symmetric (zero point 0): ORT's u8s8 VNNI kernels
  kU8,  // uint8, asymmetric: what onnxruntime.quantization.quantize_dynamic writes with QUInt8
};

// Weights whose name contains one of these stay float by default: the classification head (a few thousand
// multiply-adds of a 384-wide model, where INT8 saves nothing and costs the decisions' precision).
inline const std::vector<std::string> kDefaultKeepFloat = {"classifier."};

// The second rung of the default quantization (QuantizeOptions::escalate): every block's output projection stays
// float too — BERT's attention.output.dense and output.dense, DistilBERT's attention.out_lin and ffn.lin2. Their
// inputs (the attention-mixed values, the GELU outputs) have the widest activation ranges of a block, which one
// dynamic INT8 scale per tensor serves worst; a head trained on a frozen encoder's exact features is the model
// that notices (docs/quantization.md).
inline const std::vector<std::string> kOutputProjections = {"output.dense", "attention.out_lin", "ffn.lin2"};

struct QuantizeOptions {
  bool per_channel = true;  // one scale per output column (default) instead of one per weight matrix
  WeightType weight_type = WeightType::kS8;
  bool quantize_embeddings = false;  // store the word-embedding table as uint8 (smaller file; plain graphs)
  std::vector<std::string> keep_float = kDefaultKeepFloat;  // MatMul/Attention weights named so stay float
  // With a gate: when the F1 drop exceeds the gate's target_f1_drop, quantize again with kOutputProjections
  // float as well and keep the attempt that loses less (the CLI's default when --keep-float is not given).
  bool escalate = false;
};

struct QuantizeSummary {
  std::size_t matmuls = 0;     // MatMul (+ bias Add) -> com.microsoft DynamicQuantizeMatMul
  std::size_t kept_float = 0;  // MatMul / Attention left float by QuantizeOptions::keep_float
  std::size_t attentions = 0;  // com.microsoft Attention -> DynamicQuantizeLinear + QAttention
  std::size_t embeddings = 0;  // Gather on a float table -> Gather on uint8 + DequantizeLinear
  std::size_t input_bytes = 0;
  std::size_t output_bytes = 0;
};

// Quantizes a serialized ONNX model; returns the serialized result. Throws InvalidInput for a file that is
// not an ONNX model, or --quantize-embeddings on a graph whose embeddings it cannot quantize.
std::string QuantizeOnnxModel(const std::string& model_bytes, const QuantizeOptions& options, QuantizeSummary& summary);

// The accuracy gate: F1 macro of the fp32 and the INT8 model on a labelled file.
struct AccuracyGate {
  std::filesystem::path valid_file;  // CSV/TSV/JSONL with text and label columns (fastintent_data)
  double max_f1_drop = 1.0;          // in F1 points (0..100)
  bool force = false;                // write even when the drop is larger
  double target_f1_drop = 0.5;       // QuantizeOptions::escalate: a larger drop tries the next rung
};

struct GateResult {
  std::size_t examples = 0;
  double fp32_f1 = 0, int8_f1 = 0;              // F1 macro in points
  double fp32_accuracy = 0, int8_accuracy = 0;  // in points
  double agreement = 0;                         // share of texts with the same top-1, in points
  bool passed = true;
};

// One quantization that escalation set aside (its drop was over the target, or the next rung lost less).
struct QuantizeAttempt {
  std::vector<std::string> keep_float;
  QuantizeSummary summary;
  GateResult gate;
};

struct QuantizeDirectoryResult {
  QuantizeSummary summary;
  std::optional<GateResult> gate;
  bool written = false;
  std::filesystem::path output_file;
  std::vector<std::string> keep_float;     // the patterns of the model returned (and written)
  std::vector<QuantizeAttempt> set_aside;  // escalation's other attempts, in the order they ran
};

// MODEL_DIR/model.onnx -> MODEL_DIR/model_quantized.onnx. With a gate, evaluates both models first (with
// options.escalate, possibly twice: see QuantizeOptions); when the F1 drop of the model kept exceeds max_f1_drop
// and force is off, nothing is written (written == false). The output file appears atomically (written beside,
// then renamed), so an existing one is replaced whole or not at all.
QuantizeDirectoryResult QuantizeModelDirectory(const std::filesystem::path& model_dir, const QuantizeOptions& options,
                                               const std::optional<AccuracyGate>& gate);

}  // namespace fastintent::exporter
