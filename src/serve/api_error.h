#pragma once
// The HTTP layer's one error type and the one function that maps any exception to an HTTP error.
// Body shape for every error: {"error": {"code": "<code>", "message": "<what to change>", "request_id": "<id>"}}.
// A 5xx body says only that much: what went wrong inside goes to the log under the same request id.
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "fastintent/common/error.h"
#include "http_message.h"

namespace fastintent::serve {

class ApiError : public Error {
 public:
  ApiError(int status, std::string code, const std::string& message)
      : Error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

  // Named constructors, one per documented error (docs/api.md lists them).
  static ApiError MalformedJson(const std::string& message) { return {400, "malformed_json", message}; }
  static ApiError WrongType(const std::string& message) { return {400, "invalid_request", message}; }
  static ApiError Unauthorized(const std::string& message) { return {401, "unauthorized", message}; }
  static ApiError Forbidden(const std::string& message) { return {403, "forbidden", message}; }
  static ApiError NotFound(const std::string& message) { return {404, "not_found", message}; }
  static ApiError MethodNotAllowed(const std::string& message) { return {405, "method_not_allowed", message}; }
  static ApiError ReloadRefused(const std::string& message) { return {409, "reload_refused", message}; }
  static ApiError PayloadTooLarge(const std::string& message) { return {413, "payload_too_large", message}; }
  static ApiError UnsupportedMediaType(const std::string& message) { return {415, "unsupported_media_type", message}; }
  static ApiError InvalidText(const std::string& code, const std::string& message) { return {422, code, message}; }
  static ApiError Overloaded(const std::string& message) { return {429, "overloaded", message}; }
  static ApiError NotReady(const std::string& message) { return {503, "not_ready", message}; }
  static ApiError Draining(const std::string& message) { return {503, "draining", message}; }

 private:
  int status_;
  std::string code_;
};

struct HttpError {
  int status = 500;
  std::string code = "internal";
  std::string message;  // for the client
  std::string detail;   // for the log only (what an unexpected exception said); empty for an ApiError
  std::string Body(std::string_view request_id = {}) const;  // the JSON error body
};

// The mapping: an ApiError keeps its status and message. Anything else is a fault on our side (a bug, or a model
// that failed to run) and becomes 500 "internal" with a generic message; its text goes to `detail`, never to the
// client.
HttpError ToHttpError(std::exception_ptr error);

// The JSON error response for `error` (Retry-After for 429 and 503).
HttpResponse ErrorResponse(const HttpError& error, std::string_view request_id);

// The same error in the shape of Hugging Face text-embeddings-inference (POST /predict):
// {"error": "<message>", "error_type": "Validation" | "Overloaded" | "Unhealthy" | "Backend"}. 4xx keep their status
// (Validation), 429 is Overloaded, 503 Unhealthy; a fault (500) becomes TEI's 424 Backend. The request id travels
// in the X-Request-Id header only.
HttpResponse TeiErrorResponse(const HttpError& error, std::string_view request_id);

// How an endpoint renders its errors: ErrorResponse or TeiErrorResponse.
using ErrorRenderer = HttpResponse (*)(const HttpError& error, std::string_view request_id);

}  // namespace fastintent::serve
