#pragma once
// ONNX Runtime custom operator ai.fastintent::Attention (version 1), running attention_kernel.h inside a session:
//   inputs  q, k, v: float [batch, length, hidden]; mask_bias: float [batch, length] (0 kept, float min padding)
//   attributes num_heads (int), scale (float)
//   output  float [batch, length, hidden]: the heads' contexts side by side, as transformers' merged heads
// Work is split over (row, head) pairs on the session's intra-op threads. Shapes that disagree fail the run with
// a message naming them; nothing is read out of bounds.
#include <onnxruntime_cxx_api.h>

namespace fastintent::runtime::attention {

inline constexpr char kDomain[] = "ai.fastintent";
inline constexpr char kOpName[] = "Attention";

// Adds the process's ai.fastintent domain (created once, alive until exit, as sessions need it) to options.
void RegisterAttentionOp(Ort::SessionOptions& options);

}  // namespace fastintent::runtime::attention
