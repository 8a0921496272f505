#include "post_processor.h"

namespace fastintent::text::detail {

std::size_t PostProcessor::AddedCount(bool is_pair) const {
  std::size_t n = 0;
  for (const TemplatePart& part : is_pair ? pair : single) {
    if (part.kind == TemplatePart::Kind::kSpecial) n += part.ids.size();
  }
  return n;
}

}  // namespace fastintent::text::detail
