// libFuzzer target on the HTTP request parser (Boost.Beast's basic_parser under our RequestParser), fed the way a
// connection feeds it: in pieces (the first byte sets their size), through a buffer of at most --max-header-bytes,
// counting the head's bytes with eager parsing off until the head is done. Any input is parsed or refused; a request
// that parses never breaks a limit (body, head, field line, field count, target). Anything else is a bug.
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "request_parser.h"

namespace {

using fastintent::serve::HttpLimits;
using fastintent::serve::HttpRequest;
using fastintent::serve::RequestParser;

HttpLimits SmallLimits() {
  HttpLimits limits;
  limits.max_body_bytes = 4096;
  limits.max_header_bytes = 1024;
  limits.max_header_line_bytes = 256;
  limits.max_header_count = 8;
  limits.max_url_bytes = 128;
  return limits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const HttpLimits limits = SmallLimits();
  const std::size_t piece = 1 + data[0] % 64;
  std::size_t next = 1;
  std::string buffer;  // unparsed input, at most max_header_bytes as in the connection
  std::size_t head_bytes = 0;
  RequestParser parser(limits);
  for (;;) {
    if (next < size && buffer.size() < limits.max_header_bytes) {  // one more piece arrives
      const std::size_t take = std::min({piece, size - next, limits.max_header_bytes - buffer.size()});
      buffer.append(reinterpret_cast<const char*>(data) + next, take);
      next += take;
    }
    if (buffer.empty()) return 0;  // the input ended before the request did
    boost::beast::error_code ec;
    const bool in_head = !parser.is_header_done();
    const std::size_t used = parser.put(boost::asio::buffer(buffer), ec);
    if (used > buffer.size()) std::abort();
    buffer.erase(0, used);
    if (in_head) {
      head_bytes += used;
      if (head_bytes > limits.max_header_bytes) return 0;  // refused (431 or 414)
      if (parser.is_header_done()) parser.eager(true);
    }
    if (ec && ec != boost::beast::http::error::need_more) return 0;  // refused
    if (parser.is_done()) break;
    if (used == 0 && (next >= size || buffer.size() >= limits.max_header_bytes)) return 0;  // stuck: closed
  }
  HttpRequest request;
  parser.TakeInto(request);
  if (request.body.size() > limits.max_body_bytes) std::abort();
  if (request.headers.size() > limits.max_header_count) std::abort();
  if (request.target.size() > limits.max_url_bytes) std::abort();
  if (head_bytes > limits.max_header_bytes) std::abort();
  for (const auto& header : request.headers) {
    if (header.name.size() + 2 + header.value.size() > limits.max_header_line_bytes) std::abort();
  }
  if (request.path.size() > request.target.size()) std::abort();
  return 0;
}
