#include "checkpoint_weights.h"

#include "fastintent/common/error.h"

namespace fastintent::exporter {

std::string ShapeText(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

const checkpoint::Tensor& CheckpointWeights::Get(const std::string& name,
                                                 const std::vector<std::int64_t>& shape) const {
  const auto found = tensors_.find(name);
  if (found == tensors_.end()) {
    throw InvalidInput("missing weight \"" + name + "\" (expected shape " + ShapeText(shape) + ") in the checkpoint");
  }
  if (found->second.shape != shape) {
    throw InvalidInput("weight \"" + name + "\": got shape " + ShapeText(found->second.shape) + ", expected " +
                       ShapeText(shape) + " from config.json");
  }
  return found->second;
}

std::vector<float> CheckpointWeights::LinearForMatMul(const std::string& name, std::int64_t out,
                                                      std::int64_t in) const {
  const checkpoint::Tensor& weight = Get(name, {out, in});
  std::vector<float> transposed(weight.data.size());
  for (std::int64_t o = 0; o < out; ++o) {
    for (std::int64_t i = 0; i < in; ++i)
      transposed[static_cast<std::size_t>(i * out + o)] = weight.data[static_cast<std::size_t>(o * in + i)];
  }
  return transposed;
}

}  // namespace fastintent::exporter
