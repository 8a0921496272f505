#pragma once
// Runs an exported classifier with ONNX Runtime on token ids: the accuracy gate of `quantize`, the export
// bench tool and the parity tests use it. Internal to fastintent_export (ORT types stay in the .cpp).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace fastintent::exporter {

// Row-major [batch, sequence] token ids, padded on the right.
struct TokenBatch {
  std::int64_t batch = 0;
  std::int64_t sequence = 0;
  std::vector<std::int64_t> input_ids;
  std::vector<std::int64_t> attention_mask;
  std::vector<std::int64_t> token_type_ids;
};

struct OrtLogitsOptions {
  bool optimize = true;  // ORT_ENABLE_ALL; false = ORT_DISABLE_ALL (the graph as written)
  int threads = 1;
};

class OrtLogits {
 public:
  // Throws InvalidInput when ONNX Runtime cannot load the model.
  OrtLogits(const std::filesystem::path& model_file, const OrtLogitsOptions& options = {});
  ~OrtLogits();
  OrtLogits(const OrtLogits&) = delete;
  OrtLogits& operator=(const OrtLogits&) = delete;

  // Logits [batch][labels]. token_type_ids is fed only when the model has that input.
  std::vector<std::vector<float>> Run(const TokenBatch& batch) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fastintent::exporter
