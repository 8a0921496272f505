#pragma once
// The HTTP layer's one error type and the one function that maps any exception to an HTTP error.
// Body shape for every error: {"error": {"code": "<code>", "message": "<what to change>"}}.
#include <exception>
#include <string>
#include <utility>

#include "fastintent/common/error.h"

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
  std::string message;
  std::string Body() const;  // the JSON error body
};

// The mapping: ApiError keeps its status; fastintent::InvalidInput -> 422 "invalid_input"; anything else
// -> 500 "internal" (a bug: the message says so).
HttpError ToHttpError(std::exception_ptr error);

// The error for a status the HTTP library produced by itself (unknown route, body over the limit, ...).
HttpError DefaultHttpError(int status);

}  // namespace fastintent::serve
