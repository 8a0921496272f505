#include "classify_request.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "api_error.h"
#include "fastintent/common/utf8.h"

namespace fastintent::serve {
namespace {

using nlohmann::json;

std::string TypeName(const json& value) { return value.type_name(); }

// Unicode White_Space plus the ASCII separators U+001C..U+001F: the set Python's str.isspace() (and so
// the OpenAPI pattern "\\S" as schemathesis reads it) treats as space.
bool IsSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

void CheckText(const json& value, const std::string& field, const RequestLimits& limits) {
  if (!value.is_string()) {
    throw ApiError::WrongType("field '" + field + "': got " + TypeName(value) + ", expected a string");
  }
  const std::u32string points = utf8::DecodeLossy(value.get_ref<const std::string&>());
  if (std::all_of(points.begin(), points.end(), IsSpace)) {
    throw ApiError::InvalidText("empty_text", "field '" + field + "': got an empty or blank text, expected some words");
  }
  if (points.size() > limits.max_text_chars) {
    throw ApiError::InvalidText("text_too_long", "field '" + field + "': got " + std::to_string(points.size()) +
                                                     " characters, expected at most " +
                                                     std::to_string(limits.max_text_chars) + " (--max-text-chars)");
  }
}

}  // namespace

bool IsJsonContentType(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back()))) media.remove_suffix(1);
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.front()))) media.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  if (media.size() != kJson.size()) return false;
  for (std::size_t i = 0; i < media.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(media[i])) != kJson[i]) return false;
  }
  return true;
}

namespace {

json ParseJsonBody(std::string_view body) {
  if (!utf8::IsValid(body)) {
    throw ApiError::InvalidText("invalid_utf8", "request body is not valid UTF-8; send texts encoded as UTF-8");
  }
  json parsed = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    // Tell a lone UTF-16 surrogate escape (text that is not valid Unicode) from broken JSON syntax.
    try {
      const json reparsed = json::parse(body.begin(), body.end());
      (void)reparsed;
    } catch (const json::exception& e) {  // parse_error, and out_of_range for a number that overflows a double
      const std::string what = e.what();
      if (what.find("surrogate") != std::string::npos) {
        throw ApiError::InvalidText("invalid_utf8",
                                    "a text holds a lone UTF-16 surrogate escape; expected valid Unicode");
      }
      throw ApiError::MalformedJson("body is not valid JSON: " + what);
    }
    throw ApiError::MalformedJson("body is not valid JSON");
  }
  return parsed;
}

}  // namespace

ClassifyRequest ParseClassifyRequest(std::string_view body, const RequestLimits& limits) {
  const json parsed = ParseJsonBody(body);
  if (!parsed.is_object()) {
    throw ApiError::WrongType("body: got " + TypeName(parsed) +
                              R"(, expected an object like {"text": "..."} or {"texts": ["..."]})");
  }
  for (const auto& [key, value] : parsed.items()) {
    if (key != "text" && key != "texts" && key != "top_k" && key != "model") {
      throw ApiError::WrongType("unknown field '" + key + "'; expected text, texts, top_k, model");
    }
  }
  const bool has_text = parsed.contains("text");
  const bool has_texts = parsed.contains("texts");
  if (has_text == has_texts) {
    throw ApiError::WrongType(has_text ? "got both 'text' and 'texts', expected exactly one"
                                       : "missing 'text' (a string) or 'texts' (a list of strings)");
  }
  ClassifyRequest request;
  if (has_text) {
    CheckText(parsed.at("text"), "text", limits);
    request.texts.push_back(parsed.at("text").get<std::string>());
  } else {
    const json& texts = parsed.at("texts");
    if (!texts.is_array()) {
      throw ApiError::WrongType("field 'texts': got " + TypeName(texts) + ", expected a list of strings");
    }
    if (texts.empty())
      throw ApiError::InvalidText("empty_text", "field 'texts': got an empty list, expected 1 or more texts");
    if (texts.size() > limits.max_texts) {
      throw ApiError::InvalidText("too_many_texts", "field 'texts': got " + std::to_string(texts.size()) +
                                                        " texts, expected at most " + std::to_string(limits.max_texts) +
                                                        " (--max-texts)");
    }
    for (std::size_t i = 0; i < texts.size(); ++i) {
      CheckText(texts[i], "texts[" + std::to_string(i) + "]", limits);
      request.texts.push_back(texts[i].get<std::string>());
    }
    request.batch = true;
  }
  if (parsed.contains("top_k")) {
    const json& top_k = parsed.at("top_k");
    if (!top_k.is_number_integer()) {
      throw ApiError::WrongType("field 'top_k': got " + TypeName(top_k) + ", expected an integer");
    }
    const auto value = top_k.get<std::int64_t>();
    if (value < 1 || static_cast<std::uint64_t>(value) > limits.max_top_k) {
      throw ApiError::InvalidText(
          "invalid_top_k", "field 'top_k': got " + top_k.dump() + ", expected 1.." + std::to_string(limits.max_top_k));
    }
    request.top_k = static_cast<std::size_t>(value);
  }
  if (parsed.contains("model")) {
    const json& model = parsed.at("model");
    if (!model.is_string()) throw ApiError::WrongType("field 'model': got " + TypeName(model) + ", expected a string");
    request.model = model.get<std::string>();
  }
  return request;
}

namespace {

// raw_scores, truncate, truncation_direction.
void ParsePredictOptions(const json& parsed, PredictRequest& request) {
  if (const auto it = parsed.find("raw_scores"); it != parsed.end()) {
    if (!it->is_boolean())
      throw ApiError::WrongType("field 'raw_scores': got " + TypeName(*it) + ", expected a boolean");
    request.raw_scores = it->get<bool>();
  }
  if (const auto it = parsed.find("truncate"); it != parsed.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      throw ApiError::WrongType("field 'truncate': got " + TypeName(*it) + ", expected a boolean or null");
    }
    request.truncate = it->get<bool>();
  }
  if (const auto it = parsed.find("truncation_direction"); it != parsed.end()) {
    const std::string value = it->is_string() ? it->get<std::string>() : it->dump();
    std::string lower = value;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!it->is_string() || (lower != "left" && lower != "right")) {
      throw ApiError::WrongType("field 'truncation_direction': got " + it->dump() + ", expected \"Right\" or \"Left\"");
    }
    request.truncate_left = lower == "left";
  }
}

}  // namespace

PredictRequest ParsePredictRequest(std::string_view body, const RequestLimits& limits) {
  const json parsed = ParseJsonBody(body);
  if (!parsed.is_object()) {
    throw ApiError::WrongType("body: got " + TypeName(parsed) + R"(, expected an object like {"inputs": "..."})");
  }
  if (!parsed.contains("inputs")) throw ApiError::WrongType("missing 'inputs' (a string or a list of strings)");
  PredictRequest request;
  const json& inputs = parsed.at("inputs");
  if (inputs.is_string()) {
    CheckText(inputs, "inputs", limits);
    request.texts.push_back(inputs.get<std::string>());
    request.seconds.emplace_back();
  } else if (inputs.is_array()) {
    if (inputs.empty())
      throw ApiError(413, "empty_batch", "field 'inputs': got an empty list, expected 1 or more texts");
    if (inputs.size() == 2 && inputs[0].is_string() && inputs[1].is_string()) {  // TEI's pair [a, b]
      CheckText(inputs[0], "inputs[0]", limits);
      CheckText(inputs[1], "inputs[1]", limits);
      request.texts.push_back(inputs[0].get<std::string>());
      request.seconds.emplace_back(inputs[1].get<std::string>());
      ParsePredictOptions(parsed, request);
      return request;
    }
    if (inputs.size() > limits.max_texts) {
      throw ApiError(413, "too_many_texts",
                     "field 'inputs': got " + std::to_string(inputs.size()) + " texts, expected at most " +
                         std::to_string(limits.max_texts) + " (--max-texts)");
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::string field = "inputs[" + std::to_string(i) + "]";
      const json* text = &inputs[i];
      std::optional<std::string> second;
      if (text->is_array()) {
        if (text->size() != 1 && text->size() != 2) {
          throw ApiError::WrongType("field '" + field + "': got a list of " + std::to_string(text->size()) +
                                    " items, expected [text] or a pair [text, text] (or a string)");
        }
        if (text->size() == 2) {
          CheckText(text->at(1), field + "[1]", limits);
          second = text->at(1).get<std::string>();
        }
        text = &text->at(0);
      }
      CheckText(*text, field, limits);
      request.texts.push_back(text->get<std::string>());
      request.seconds.push_back(std::move(second));
    }
    request.batch = true;
  } else {
    throw ApiError::WrongType("field 'inputs': got " + TypeName(inputs) + ", expected a string or a list of strings");
  }
  ParsePredictOptions(parsed, request);
  return request;
}

}  // namespace fastintent::serve
