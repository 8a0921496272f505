#include "api_error.h"

#include <nlohmann/json.hpp>

namespace fastintent::serve {

std::string HttpError::Body() const {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // Replace, not throw, if a message quotes invalid UTF-8 from the input.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpError ToHttpError(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return {e.status(), e.code(), e.what()};
  } catch (const InvalidInput& e) {
    return {422, "invalid_input", e.what()};
  } catch (const std::exception& e) {
    return {500, "internal", std::string("internal error (a bug, please report it): ") + e.what()};
  } catch (...) {
    return {500, "internal", "internal error (a bug, please report it): unknown exception"};
  }
}

HttpError DefaultHttpError(int status) {
  switch (status) {
    case 400:
      return {400, "bad_request", "the HTTP request could not be parsed"};
    case 404:
      return {404, "not_found", "no such endpoint; see GET /openapi.json"};
    case 405:
      return {405, "method_not_allowed", "method not allowed on this endpoint; see GET /openapi.json"};
    case 413:
      return {413, "payload_too_large", "request body over the limit (--max-body-bytes)"};
    case 414:
      return {414, "uri_too_long", "request URI too long"};
    case 416:
      return {416, "range_not_satisfiable", "ranges are not supported"};
    default:
      if (status >= 500) return {status, "internal", "internal error (a bug, please report it)"};
      return {status, "http_error", "HTTP error " + std::to_string(status)};
  }
}

}  // namespace fastintent::serve
