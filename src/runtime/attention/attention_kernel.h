#pragma once
// Multi-head scaled dot-product attention on the layout the projections leave it in: Q, K and V as
// [batch, length, heads * head_size] with the heads side by side, so no head transposes are materialised
// (ONNX Runtime's graph of the same core spends a fifth of its time on them; docs/runtime.md "Native attention").
#include <cstddef>

namespace fastintent::runtime::attention {

struct AttentionShape {
  std::size_t batch = 0;
  std::size_t length = 0;     // tokens per row, padding included
  std::size_t heads = 0;
  std::size_t head_size = 0;  // hidden = heads * head_size is the row stride of q, k, v and out
  float scale = 1.0f;         // multiplies q·k before the mask is added (1/sqrt(head_size) in BERT)
};

// out[b, i, h*d .. h*d+d) = softmax_j(scale * q_i·k_j + mask_bias[b, j]) · v_j over the keys j of row b, for the
// work items w in [begin, end), w = b * heads + h. mask_bias is [batch, length]: 0 for a kept key, a large
// negative number (transformers' finfo(float32).min) for padding, as the exported graphs add it. Disjoint item
// ranges may run on different threads at once (each thread keeps its own scratch).
void AttendHeads(const AttentionShape& shape, const float* q, const float* k, const float* v, const float* mask_bias,
                 float* out, std::size_t begin, std::size_t end);

// The instruction set AttendHeads runs on this CPU: "avx512", "avx2" or "generic" (chosen once, at first use).
const char* AttentionIsa();

}  // namespace fastintent::runtime::attention
