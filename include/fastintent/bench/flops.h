#pragma once
// Matrix-multiply FLOPs of one encoder forward pass (1 multiply-add = 2 FLOP). Counted: per layer the
// Q, K, V and output projections, attention scores (QK^T) and context (softmax x V), the two FFN matmuls;
// then the pooler / pre-classifier dense on the first token and the classifier. Not counted: the embedding
// lookup (a gather), biases, LayerNorm, softmax and GELU (element-wise, < 2% of the total for these shapes).
#include <cstddef>
#include <string>

#include "fastintent/checkpoint/checkpoint.h"

namespace fastintent::bench {

struct FlopCount {
  double projections = 0.0;  // QKV + attention output, all layers
  double attention = 0.0;    // scores + context, all layers (grows with sequence length squared)
  double ffn = 0.0;          // both FFN matmuls, all layers
  double head = 0.0;         // pooler/pre-classifier + classifier
  double total() const { return projections + attention + ffn + head; }
};

// For `batch` sequences each padded to `sequence_length` tokens (the engine computes padded positions too);
// a model without labels counts a 2-class head. `name` is for error messages only. Throws
// fastintent::InvalidInput when heads do not divide hidden or a size is zero.
FlopCount CountForwardFlops(const checkpoint::ModelConfig& model, std::size_t batch, std::size_t sequence_length,
                            const std::string& name = "");

}  // namespace fastintent::bench
