#include "api_error.h"

#include <nlohmann/json.hpp>

namespace fastintent::serve {

std::string HttpError::Body(std::string_view request_id) const {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!request_id.empty()) error["request_id"] = request_id;
  // Replace, not throw, if a message quotes invalid UTF-8 from the input.
  return nlohmann::json{{"error", std::move(error)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpError ToHttpError(std::exception_ptr error) {
  constexpr const char* kInternal = "internal error; the server log has the details under this request id";
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return {e.status(), e.code(), e.what(), ""};
  } catch (const std::exception& e) {
    return {500, "internal", kInternal, e.what()};
  } catch (...) {
    return {500, "internal", kInternal, "unknown exception"};
  }
}

HttpResponse ErrorResponse(const HttpError& error, std::string_view request_id) {
  HttpResponse response;
  response.status = error.status;
  response.content_type = "application/json";
  if (error.status == 429 || error.status == 503) response.headers.push_back({"Retry-After", "1"});
  response.body = error.Body(request_id);
  return response;
}

HttpResponse TeiErrorResponse(const HttpError& error, std::string_view /*request_id*/) {
  HttpResponse response;
  response.status = error.status == 500 ? 424 : error.status;
  const char* type = "Validation";
  if (error.status == 429) type = "Overloaded";
  if (error.status == 503) type = "Unhealthy";
  if (error.status >= 500 && error.status != 503) type = "Backend";
  response.content_type = "application/json";
  if (error.status == 429 || error.status == 503) response.headers.push_back({"Retry-After", "1"});
  response.body = nlohmann::json{{"error", error.message}, {"error_type", type}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace fastintent::serve
