#pragma once
// Looks weights up by canonical name with the shape the graph needs, so a wrong checkpoint fails with
// "missing weight X" / "weight X: got shape [..], expected [..]" instead of a broken model.
#include <cstdint>
#include <string>
#include <vector>

#include "fastintent/checkpoint/checkpoint.h"

namespace fastintent::exporter {

class CheckpointWeights {
 public:
  explicit CheckpointWeights(const checkpoint::TensorMap& tensors) : tensors_(tensors) {}

  const checkpoint::Tensor& Get(const std::string& name, const std::vector<std::int64_t>& shape) const;
  bool Has(const std::string& name) const { return tensors_.count(name) != 0; }
  // A Linear weight stored [out, in], returned transposed as [in, out] for MatMul(x, W).
  std::vector<float> LinearForMatMul(const std::string& name, std::int64_t out, std::int64_t in) const;

 private:
  const checkpoint::TensorMap& tensors_;
};

std::string ShapeText(const std::vector<std::int64_t>& shape);

}  // namespace fastintent::exporter
