#pragma once
// Parsing and validation of a POST /v1/classify body. Pure function of the bytes and the limits, so the
// fuzz target (request_fuzz) drives it directly. Throws ApiError with the documented status and code.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/serve/serve_config.h"

namespace fastintent::serve {

struct ClassifyRequest {
  std::vector<std::string> texts;
  bool batch = false;                // the body used "texts" (answer keeps the list shape either way)
  std::optional<std::size_t> top_k;  // default: the server's --top-k
  std::optional<std::string> model;  // default: the default model
};

// 400 malformed_json / invalid_request (wrong types, unknown or conflicting fields);
// 422 empty_text / too_many_texts / invalid_utf8 / text_too_long / invalid_top_k.
ClassifyRequest ParseClassifyRequest(std::string_view body, const RequestLimits& limits);

// A POST /predict body in the shape of Hugging Face text-embeddings-inference's PredictRequest: "inputs" is a
// string, a list of strings (a batch; but exactly two strings are TEI's text pair), or a list of one-string lists
// (a batch); "raw_scores", "truncate" (null = the server's --long-text policy) and "truncation_direction"
// ("Right"/"Left", any letter case). Unknown fields are ignored, as TEI does. A text pair is TEI's [a, b], alone or
// as an item of a batch: its first text goes to `texts`, its second to `seconds` at the same index.
struct PredictRequest {
  std::vector<std::string> texts;
  std::vector<std::optional<std::string>> seconds;  // one per text: the pair's second text, or none
  bool batch = false;                               // the answer is a list of lists
  bool raw_scores = false;
  std::optional<bool> truncate;
  bool truncate_left = false;
};

// 400 malformed_json / invalid_request (wrong types); 413 too_many_texts / empty_batch (TEI's validation status);
// 422 empty_text / text_too_long / invalid_utf8.
PredictRequest ParsePredictRequest(std::string_view body, const RequestLimits& limits);

// True for "application/json" with optional parameters (";charset=utf-8"), any letter case.
bool IsJsonContentType(std::string_view content_type);

}  // namespace fastintent::serve
