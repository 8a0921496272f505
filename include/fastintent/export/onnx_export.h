#pragma once
// fastintent_export: a Hugging Face BERT / DistilBERT sequence-classification checkpoint (config.json +
// model.safetensors) written as an ONNX model directory, from C++ and without torch. Only std types here.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/checkpoint/checkpoint.h"

namespace fastintent::exporter {

enum class GraphKind {
  kPlain,  // standard ONNX ops only (opset 14..17); ONNX Runtime fuses what it can at load time
  kFused,  // ONNX Runtime contrib ops (com.microsoft): EmbedLayerNormalization, Attention,
           // SkipLayerNormalization, BiasGelu/FastGelu — what ORT's transformer optimizer produces
};

struct ExportOptions {
  // Plain is the default: ORT_ENABLE_ALL fuses it at load as fast as our fused graph in fp32, and its INT8
  // form (DynamicQuantizeMatMul + float attention) beats QAttention; measured in docs/quantization.md.
  GraphKind graph = GraphKind::kPlain;
  int opset = 17;  // 14..17 (libonnx 1.12 knows up to 17); < 17 spells LayerNorm out
  // Written into the exported config.json as "fallback_threshold" (the service's "hand it to an operator"
  // cut-off for the top score); unset keeps whatever the checkpoint's config.json says. In [0, 1].
  std::optional<double> fallback_threshold;
};

inline constexpr int kMinOpset = 14;
inline constexpr int kMaxOpset = 17;

// The ONNX model of `checkpoint`, serialized. Inputs input_ids / attention_mask (/ token_type_ids for BERT),
// int64 [batch, sequence] with both axes dynamic; output logits float [batch, num_labels].
// Throws InvalidInput for a missing weight, a shape mismatch or a checkpoint without a classification head,
// and when the ONNX checker rejects the result.
std::string BuildOnnxModel(const checkpoint::Checkpoint& checkpoint, const ExportOptions& options);

struct ExportSummary {
  std::filesystem::path model_file;
  std::size_t weight_count = 0;
  std::size_t node_count = 0;
  std::vector<std::string> copied_files;  // config.json and the tokenizer files found
};

// Reads CHECKPOINT_DIR, writes OUT_DIR/model.onnx, OUT_DIR/config.json and the tokenizer files
// (tokenizer.json, vocab.txt, tokenizer_config.json, special_tokens_map.json when present). OUT_DIR is
// replaced atomically: on any error an existing OUT_DIR is left as it was.
ExportSummary ExportModelDirectory(const std::filesystem::path& checkpoint_dir, const std::filesystem::path& out_dir,
                                   const ExportOptions& options);

}  // namespace fastintent::exporter
