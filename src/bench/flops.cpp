#include "fastintent/bench/flops.h"

#include <string>

#include "fastintent/common/error.h"

namespace fastintent::bench {

FlopCount CountForwardFlops(const checkpoint::ModelConfig& model, std::size_t batch, std::size_t sequence_length,
                            const std::string& name) {
  const std::size_t num_labels = model.labels.empty() ? 2 : model.labels.size();
  if (model.hidden_size == 0 || model.num_layers == 0 || model.num_heads == 0 || model.intermediate_size == 0) {
    throw InvalidInput("flops: model '" + name + "' has a zero size (hidden=" + std::to_string(model.hidden_size) +
                       " layers=" + std::to_string(model.num_layers) + " heads=" + std::to_string(model.num_heads) +
                       " intermediate=" + std::to_string(model.intermediate_size) + ")");
  }
  if (model.hidden_size % model.num_heads != 0) {
    throw InvalidInput("flops: model '" + name + "': heads=" + std::to_string(model.num_heads) +
                       " does not divide hidden=" + std::to_string(model.hidden_size));
  }
  const double b = static_cast<double>(batch);
  const double l = static_cast<double>(sequence_length);
  const double h = static_cast<double>(model.hidden_size);
  const double ff = static_cast<double>(model.intermediate_size);
  const double layers = static_cast<double>(model.num_layers);
  const double tokens = b * l;

  FlopCount count;
  count.projections = layers * 4.0 * 2.0 * tokens * h * h;
  // Per head: scores [L x d] x [d x L], context [L x L] x [L x d]; summed over heads d*heads = hidden.
  count.attention = layers * 2.0 * 2.0 * b * l * l * h;
  count.ffn = layers * 2.0 * 2.0 * tokens * h * ff;
  count.head = 2.0 * b * h * h + 2.0 * b * h * static_cast<double>(num_labels);
  return count;
}

}  // namespace fastintent::bench
