#pragma once
// An HTTP/1.1 request parser (Boost.Beast's basic_parser) that holds our limits while it parses: the request
// target, each header field, the number of fields (trailers included) and the head as a whole are checked as the
// bytes arrive, and the body is bounded by Beast's body limit under Content-Length and chunked framing alike. Beast
// itself refuses conflicting Content-Length and Transfer-Encoding and bad chunks; its header limit bounds only the
// input not yet consumed, so the connection counts the head's bytes itself. One parser per request.
#include <boost/beast/http/basic_parser.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/serve/serve_config.h"
#include "http_message.h"

namespace fastintent::serve {

// Why a request was refused; each has its status and its fastintent_http_rejections_total reason.
enum class Rejection {
  kNone,
  kBadRequest,           // 400: not HTTP/1.x, or framing that cannot be trusted
  kLengthRequired,       // 411: a POST or PUT without Content-Length or chunked framing
  kBodyTooLarge,         // 413: --max-body-bytes
  kInflatedTooLarge,     // 413: --max-inflated-body-bytes
  kUrlTooLong,           // 414: --max-url-bytes
  kUnsupportedEncoding,  // 415: a Content-Encoding we do not undo
  kHeaderTooLarge,       // 431: --max-header-bytes
  kHeaderLineTooLong,    // 431: --max-header-line-bytes
  kTooManyHeaders,       // 431: --max-header-count
  kTransferEncoding,     // 501: a Transfer-Encoding other than chunked
  kHeaderTimeout,        // 408: --header-timeout-ms
  kBodyTimeout,          // 408: --body-timeout-ms
};

struct RejectionInfo {
  int status;
  const char* code;    // the JSON error code
  const char* reason;  // the metrics label
};
RejectionInfo Describe(Rejection rejection);

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(const HttpLimits& limits);

  // Set when the parser stopped with an error of its own (a limit of ours); kNone for Beast's errors.
  Rejection violation() const { return violation_; }
  bool got_request_line() const { return got_request_line_; }
  int version() const { return version_; }

  // Moves the parsed request out (valid after is_done()).
  void TakeInto(HttpRequest& request);
  const std::vector<HttpHeader>& headers() const { return headers_; }
  std::string_view method() const { return method_; }
  std::string_view target() const { return target_; }

 private:
  using string_view = boost::beast::string_view;
  using error_code = boost::beast::error_code;
  void on_request_impl(boost::beast::http::verb method, string_view method_str, string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int code, string_view reason, int version, error_code& ec) override;
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  const HttpLimits& limits_;
  Rejection violation_ = Rejection::kNone;
  bool got_request_line_ = false;
  int version_ = 11;
  std::string method_;
  std::string target_;
  std::vector<HttpHeader> headers_;
  std::string body_;
};

}  // namespace fastintent::serve
