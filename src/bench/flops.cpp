#include "fastintent/bench/flops.h"

#include <string>

#include "fastintent/common/error.h"

namespace fastintent::bench {

FlopCount CountForwardFlops(const ModelShape& shape, std::size_t batch, std::size_t sequence_length) {
  if (shape.hidden == 0 || shape.layers == 0 || shape.heads == 0 || shape.intermediate == 0 || shape.num_labels == 0) {
    throw InvalidInput("flops: model '" + shape.name + "' has a zero size (hidden=" + std::to_string(shape.hidden) +
                       " layers=" + std::to_string(shape.layers) + " heads=" + std::to_string(shape.heads) +
                       " intermediate=" + std::to_string(shape.intermediate) +
                       " num_labels=" + std::to_string(shape.num_labels) + ")");
  }
  if (shape.hidden % shape.heads != 0) {
    throw InvalidInput("flops: model '" + shape.name + "': heads=" + std::to_string(shape.heads) +
                       " does not divide hidden=" + std::to_string(shape.hidden));
  }
  const double b = static_cast<double>(batch);
  const double l = static_cast<double>(sequence_length);
  const double h = static_cast<double>(shape.hidden);
  const double ff = static_cast<double>(shape.intermediate);
  const double layers = static_cast<double>(shape.layers);
  const double tokens = b * l;

  FlopCount count;
  count.projections = layers * 4.0 * 2.0 * tokens * h * h;
  // Per head: scores [L x d] x [d x L], context [L x L] x [L x d]; summed over heads d*heads = hidden.
  count.attention = layers * 2.0 * 2.0 * b * l * l * h;
  count.ffn = layers * 2.0 * 2.0 * tokens * h * ff;
  count.head = 2.0 * b * h * h + 2.0 * b * h * static_cast<double>(shape.num_labels);
  return count;
}

}  // namespace fastintent::bench
