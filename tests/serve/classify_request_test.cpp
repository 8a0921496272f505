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

}  // namespace
}  // namespace fastintent::serve
