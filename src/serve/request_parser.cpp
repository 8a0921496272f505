#include "request_parser.h"

#include <boost/beast/http/error.hpp>

namespace fastintent::serve {

RejectionInfo Describe(Rejection rejection) {
  switch (rejection) {
    case Rejection::kNone:
    case Rejection::kBadRequest:
      return {400, "bad_request", "bad_request"};
    case Rejection::kLengthRequired:
      return {411, "length_required", "length_required"};
    case Rejection::kBodyTooLarge:
      return {413, "payload_too_large", "body_too_large"};
    case Rejection::kInflatedTooLarge:
      return {413, "payload_too_large", "inflated_body_too_large"};
    case Rejection::kUrlTooLong:
      return {414, "uri_too_long", "url_too_long"};
    case Rejection::kUnsupportedEncoding:
      return {415, "unsupported_media_type", "content_encoding"};
    case Rejection::kHeaderTooLarge:
      return {431, "header_too_large", "header_too_large"};
    case Rejection::kHeaderLineTooLong:
      return {431, "header_too_large", "header_line_too_long"};
    case Rejection::kTooManyHeaders:
      return {431, "header_too_large", "too_many_headers"};
    case Rejection::kTransferEncoding:
      return {501, "not_implemented", "transfer_encoding"};
    case Rejection::kHeaderTimeout:
      return {408, "request_timeout", "header_timeout"};
    case Rejection::kBodyTimeout:
      return {408, "request_timeout", "body_timeout"};
  }
  return {400, "bad_request", "bad_request"};
}

RequestParser::RequestParser(const HttpLimits& limits) : limits_(limits) {
  header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  body_limit(limits.max_body_bytes);
  eager(false);  // one step per call until the head is done (the connection counts the head's bytes)
}

void RequestParser::TakeInto(HttpRequest& request) {
  request.method = std::move(method_);
  request.target = std::move(target_);
  request.headers = std::move(headers_);
  request.body = std::move(body_);
  const auto query = request.target.find('?');
  request.path = request.target.substr(0, query);
}

void RequestParser::on_request_impl(boost::beast::http::verb, string_view method_str, string_view target, int version,
                                    error_code& ec) {
  got_request_line_ = true;
  if (target.size() > limits_.max_url_bytes) {
    violation_ = Rejection::kUrlTooLong;
    ec = boost::beast::http::error::bad_target;
    return;
  }
  method_.assign(method_str.data(), method_str.size());
  target_.assign(target.data(), target.size());
  version_ = version;
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) {
  ec = boost::beast::http::error::bad_method;  // never called for a request parser
}

void RequestParser::on_field_impl(boost::beast::http::field, string_view name, string_view value, error_code& ec) {
  if (headers_.size() >= limits_.max_header_count) {
    violation_ = Rejection::kTooManyHeaders;
    ec = boost::beast::http::error::bad_field;
    return;
  }
  if (name.size() + 2 + value.size() > limits_.max_header_line_bytes) {
    violation_ = Rejection::kHeaderLineTooLong;
    ec = boost::beast::http::error::bad_field;
    return;
  }
  headers_.push_back({std::string(name.data(), name.size()), std::string(value.data(), value.size())});
}

void RequestParser::on_header_impl(error_code&) {}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code&) {
  // Reserve what a Content-Length announces (already checked against the body limit), but not more than a typical
  // request needs: the bytes still have to arrive.
  if (content_length) body_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*content_length, 65536)));
}

std::size_t RequestParser::on_body_impl(string_view body, error_code&) {
  body_.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  body_.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace fastintent::serve
