// Request parsing and the error mapping: every rejected body gets the documented status and code.
#include "classify_request.h"

#include <gtest/gtest.h>

#include "api_error.h"

namespace fastintent::serve {
namespace {

struct BadCase {
  std::string body;
  int status;
  std::string code;
};

HttpError ErrorOf(const std::string& body, const RequestLimits& limits = {}) {
  try {
    (void)ParseClassifyRequest(body, limits);
  } catch (...) {
    return ToHttpError(std::current_exception());
  }
  return {200, "ok", "", ""};
}

TEST(ClassifyRequest, ParsesOneTextAndAList) {
  const auto one = ParseClassifyRequest(R"({"text": "привет"})", {});
  ASSERT_EQ(one.texts.size(), 1u);
  EXPECT_EQ(one.texts[0], "привет");
  EXPECT_FALSE(one.batch);
  EXPECT_FALSE(one.top_k.has_value());
  const auto many = ParseClassifyRequest(R"({"texts": ["a", "b c"], "top_k": 3, "model": "m"})", {});
  EXPECT_TRUE(many.batch);
  EXPECT_EQ(many.texts, (std::vector<std::string>{"a", "b c"}));
  EXPECT_EQ(many.top_k, 3u);
  EXPECT_EQ(many.model, "m");
  EXPECT_EQ(ParseClassifyRequest(R"({"text": "\u0416"})", {}).texts[0], "Ж");
}

TEST(ClassifyRequest, RejectsBadBodiesWithTheDocumentedStatus) {
  const std::vector<BadCase> cases = {
      {"", 400, "malformed_json"},
      {"{", 400, "malformed_json"},
      {"{\"text\": \"a\",}", 400, "malformed_json"},
      {R"({"text": "a", "top_k": 1e999})", 400, "malformed_json"},  // overflows a double: out_of_range, not parse_error
      {R"({"texts": 55555555555555555555e5555555555555555l":"m"e})", 400, "malformed_json"},  // found by request_fuzz
      {"[]", 400, "invalid_request"},
      {"\"text\"", 400, "invalid_request"},
      {"null", 400, "invalid_request"},
      {"{}", 400, "invalid_request"},
      {R"({"text": 5})", 400, "invalid_request"},
      {R"({"text": null})", 400, "invalid_request"},
      {R"({"texts": "a"})", 400, "invalid_request"},
      {R"({"texts": [1]})", 400, "invalid_request"},
      {R"({"text": "a", "texts": ["b"]})", 400, "invalid_request"},
      {R"({"text": "a", "extra": 1})", 400, "invalid_request"},
      {R"({"text": "a", "top_k": "3"})", 400, "invalid_request"},
      {R"({"text": "a", "top_k": 1.5})", 400, "invalid_request"},
      {R"({"text": "a", "model": 7})", 400, "invalid_request"},
      {R"({"text": ""})", 422, "empty_text"},
      {R"({"text": " \t\n"})", 422, "empty_text"},
      {R"({"text": "\u3000\u00a0"})", 422, "empty_text"},
      {R"({"texts": []})", 422, "empty_text"},
      {R"({"texts": ["a", ""]})", 422, "empty_text"},
      {R"({"text": "a", "top_k": 0})", 422, "invalid_top_k"},
      {R"({"text": "a", "top_k": -2})", 422, "invalid_top_k"},
      {R"({"text": "a", "top_k": 18446744073709551615})", 422, "invalid_top_k"},
      {"{\"text\": \"\xff\xfe\"}", 422, "invalid_utf8"},
      {"{\"text\": \"\xc0\xaf\"}", 422, "invalid_utf8"},
      {R"({"text": "\ud800"})", 422, "invalid_utf8"},
  };
  for (const auto& c : cases) {
    const auto error = ErrorOf(c.body);
    EXPECT_EQ(error.status, c.status) << c.body << " -> " << error.message;
    EXPECT_EQ(error.code, c.code) << c.body << " -> " << error.message;
    EXPECT_FALSE(error.message.empty());
  }
}

TEST(ClassifyRequest, EnforcesLimits) {
  RequestLimits limits;
  limits.max_texts = 2;
  limits.max_text_chars = 3;
  EXPECT_EQ(ErrorOf(R"({"texts": ["a", "b", "c"]})", limits).code, "too_many_texts");
  EXPECT_EQ(ErrorOf(R"({"text": "abcd"})", limits).code, "text_too_long");
  EXPECT_EQ(ErrorOf(R"({"text": "абв"})", limits).status, 200);  // 3 characters, 6 bytes
}

TEST(ContentType, AcceptsJsonWithParameters) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("Application/JSON; charset=utf-8"));
  EXPECT_FALSE(IsJsonContentType(""));
  EXPECT_FALSE(IsJsonContentType("text/plain"));
  EXPECT_FALSE(IsJsonContentType("application/jsonx"));
}

TEST(ErrorMapping, MapsEachLayerOnce) {
  EXPECT_EQ(ToHttpError(std::make_exception_ptr(ApiError::Overloaded("full"))).status, 429);
  const auto bug = ToHttpError(std::make_exception_ptr(std::logic_error("oops")));
  EXPECT_EQ(bug.status, 500);
  EXPECT_EQ(bug.code, "internal");
  EXPECT_EQ(HttpError({413, "payload_too_large", "m \"q\"", ""}).Body(),
            R"({"error":{"code":"payload_too_large","message":"m \"q\""}})");
  EXPECT_EQ(HttpError({413, "payload_too_large", "m", ""}).Body("r1"),
            R"({"error":{"code":"payload_too_large","message":"m","request_id":"r1"}})");
}

// Anything but an ApiError is a fault on the server's side: a model that rejects its own input (InvalidInput
// from the runtime, quoting a model file's path) is a 500 whose body says nothing of it; the text goes to the log.
TEST(ErrorMapping, FaultsAre500WithAGenericMessage) {
  const auto fault = ToHttpError(std::make_exception_ptr(InvalidInput("/models/x/model.onnx: output 'logits' bad")));
  EXPECT_EQ(fault.status, 500);
  EXPECT_EQ(fault.code, "internal");
  EXPECT_EQ(fault.message.find("model.onnx"), std::string::npos);
  EXPECT_NE(fault.detail.find("model.onnx"), std::string::npos);
  const auto response = ErrorResponse(fault, "abc");
  EXPECT_EQ(response.body.find("model.onnx"), std::string::npos);
  EXPECT_NE(response.body.find("\"request_id\":\"abc\""), std::string::npos);
}

HttpError PredictErrorOf(const std::string& body, const RequestLimits& limits = {}) {
  try {
    (void)ParsePredictRequest(body, limits);
  } catch (...) {
    return ToHttpError(std::current_exception());
  }
  return {200, "ok", "", ""};
}

TEST(PredictRequest, ParsesTeiShapes) {
  const auto one = ParsePredictRequest(R"({"inputs": "привет"})", {});
  EXPECT_EQ(one.texts, (std::vector<std::string>{"привет"}));
  EXPECT_FALSE(one.batch);
  EXPECT_FALSE(one.raw_scores);
  EXPECT_FALSE(one.truncate.has_value());
  EXPECT_FALSE(one.truncate_left);
  const auto flat = ParsePredictRequest(R"({"inputs": ["a", "b", "c"], "raw_scores": true, "truncate": false})", {});
  EXPECT_EQ(flat.texts, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(flat.batch);
  EXPECT_TRUE(flat.raw_scores);
  EXPECT_EQ(flat.truncate, false);
  const auto nested = ParsePredictRequest(R"({"inputs": [["a"], "b"], "truncation_direction": "Left"})", {});
  EXPECT_EQ(nested.texts, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(nested.truncate_left);
  EXPECT_FALSE(ParsePredictRequest(R"({"inputs": "a", "truncate": null, "other": 1})", {}).truncate.has_value());
  EXPECT_TRUE(ParsePredictRequest(R"({"inputs": ["a"]})", {}).batch);
  const auto pair = ParsePredictRequest(R"({"inputs": ["a", "b"]})", {});
  EXPECT_EQ(pair.texts, (std::vector<std::string>{"a"}));
  ASSERT_EQ(pair.seconds.size(), 1u);
  EXPECT_EQ(pair.seconds[0], "b");
  EXPECT_FALSE(pair.batch);
  const auto mixed = ParsePredictRequest(R"({"inputs": [["a", "b"], ["c"], "d"]})", {});
  EXPECT_EQ(mixed.texts, (std::vector<std::string>{"a", "c", "d"}));
  EXPECT_EQ(mixed.seconds, (std::vector<std::optional<std::string>>{"b", std::nullopt, std::nullopt}));
  EXPECT_TRUE(mixed.batch);
}

TEST(PredictRequest, RejectsBadBodies) {
  const std::vector<BadCase> cases = {
      {R"({"inputs": ["a", " "]})", 422, "empty_text"},
      {R"({"inputs": [["a", 1]]})", 400, "invalid_request"},
      {R"({"inputs": []})", 413, "empty_batch"},
      {R"({"inputs": ["a", "b", "c", "d"]})", 413, "too_many_texts"},
      {R"({"inputs": " "})", 422, "empty_text"},
      {R"({"inputs": 1})", 400, "invalid_request"},
      {R"({"inputs": [["a", "b", "c"]]})", 400, "invalid_request"},
      {R"({"raw_scores": true})", 400, "invalid_request"},
      {R"({"inputs": "a", "raw_scores": 1})", 400, "invalid_request"},
      {R"({"inputs": "a", "truncate": "yes"})", 400, "invalid_request"},
      {R"({"inputs": "a", "truncation_direction": "up"})", 400, "invalid_request"},
      {R"({"inputs": "a", "truncation_direction": 1})", 400, "invalid_request"},
      {R"(["a"])", 400, "invalid_request"},
      {R"({"inputs": )", 400, "malformed_json"},
  };
  RequestLimits limits;
  limits.max_texts = 3;
  for (const auto& bad : cases) {
    const auto error = PredictErrorOf(bad.body, limits);
    EXPECT_EQ(error.status, bad.status) << bad.body;
    EXPECT_EQ(error.code, bad.code) << bad.body;
  }
}

TEST(ErrorMapping, TeiBodyAndStatus) {
  const auto validation = TeiErrorResponse({413, "text_too_long", "too long", ""}, "r1");
  EXPECT_EQ(validation.status, 413);
  EXPECT_EQ(validation.body, R"({"error":"too long","error_type":"Validation"})");
  EXPECT_EQ(TeiErrorResponse({429, "overloaded", "m", ""}, "").body, R"({"error":"m","error_type":"Overloaded"})");
  EXPECT_EQ(TeiErrorResponse({503, "not_ready", "m", ""}, "").body, R"({"error":"m","error_type":"Unhealthy"})");
  const auto fault = TeiErrorResponse({500, "internal", "m", ""}, "");
  EXPECT_EQ(fault.status, 424);
  EXPECT_EQ(fault.body, R"({"error":"m","error_type":"Backend"})");
}

}  // namespace
}  // namespace fastintent::serve
