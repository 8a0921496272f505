#pragma once
// UTF-8 validation for data files (internal to fastintent_data).
#include <cstddef>
#include <optional>
#include <string_view>

namespace fastintent::data::detail {

// Byte offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are rejected), or nullopt when `text` is valid.
std::optional<std::size_t> FirstInvalidUtf8(std::string_view text);

}  // namespace fastintent::data::detail
