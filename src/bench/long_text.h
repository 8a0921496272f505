#pragma once
#include <string_view>

namespace fastintent::bench::detail {

// A long Russian text for Figure 6 (the article cut a text of more than 512 tokens at each length).
std::string_view LongRussianText();

}  // namespace fastintent::bench::detail
