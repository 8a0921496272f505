#pragma once
// Floating-point numbers read the way Hugging Face `tokenizers` reads them. Its serde_json is built without
// the `float_roundtrip` feature, so "-3.4635426998138428" becomes (34635426998138428 as f64) / 1e16: two
// roundings, not the correctly rounded double. A Unigram model compares sums of these scores, so a score one
// ulp away from the reference's can change a segmentation; for multilingual-e5-small 65,856 of the 250,002
// scores differ from the correctly rounded value.
#include <optional>
#include <string_view>

namespace fastintent::text::detail {

// Parses a JSON number literal (RFC 8259 grammar, as the JSON parser already checked) with serde_json's
// default algorithm. Returns nullopt where serde_json fails with "number out of range" (e.g. 1e400).
std::optional<double> ParseSerdeJsonF64(std::string_view literal);

}  // namespace fastintent::text::detail
