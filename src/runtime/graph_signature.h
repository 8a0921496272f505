#pragma once
// What a loaded ONNX classification graph expects and returns, read from the session (never assumed):
// which of input_ids / attention_mask / token_type_ids it takes and in which integer type, and which
// output holds the logits. Covers the Optimum form (input_ids, attention_mask[, token_type_ids] -> logits)
// and the seed article's form (input_ids -> "output").
#include <onnxruntime_cxx_api.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fastintent::runtime {

enum class InputRole { kInputIds, kAttentionMask, kTokenTypeIds };

struct GraphInput {
  std::string name;
  InputRole role = InputRole::kInputIds;
  bool int32 = false;  // int32 instead of int64 element type
};

struct GraphSignature {
  std::vector<GraphInput> inputs;  // in session order
  std::string output_name;
  std::optional<std::int64_t> output_width;  // static label dimension, if the graph declares one
  bool has_attention_mask = false;

  std::string DescribeInputs() const;  // "input_ids, attention_mask" for messages
};

// Throws InvalidInput naming `model_file`: an input that is none of the three, no input_ids, a
// non-integer input, no float output of rank 2 (or several outputs and none named logits/output).
GraphSignature ReadGraphSignature(const Ort::Session& session, const std::string& model_file);

}  // namespace fastintent::runtime
