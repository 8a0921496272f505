#pragma once
// How a list of tokenized texts is cut into inference batches. Pure, no ONNX Runtime.
#include <cstddef>
#include <vector>

namespace fastintent::runtime {

// Groups text indices into batches: indices are sorted by length (stable, so equal lengths keep input
// order) and cut into runs of at most max_batch_size. With equal_lengths_only (a graph without an
// attention_mask, where padding would change the results) a batch also never mixes two lengths.
// Every index appears in exactly one batch. max_batch_size 0 is treated as 1.
std::vector<std::vector<std::size_t>> PlanBatches(const std::vector<std::size_t>& lengths, std::size_t max_batch_size,
                                                  bool equal_lengths_only);

}  // namespace fastintent::runtime
