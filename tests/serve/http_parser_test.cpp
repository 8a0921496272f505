// The HTTP request parser under our limits and the bounded inflating of request bodies, without sockets (the
// abuse suite, tests/serve/abuse_test.py, covers the same limits end to end).
#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

#include "body_encoding.h"
#include "request_parser.h"

namespace fastintent::serve {
namespace {

struct Parsed {
  boost::beast::error_code ec;
  Rejection violation = Rejection::kNone;
  bool done = false;
  HttpRequest request;
};

// Feeds `input` at once, as the connection does: eager parsing only after the head.
Parsed Parse(const std::string& input, const HttpLimits& limits = {}) {
  RequestParser parser(limits);
  Parsed out;
  std::string rest = input;
  for (int step = 0; step < 4 && !rest.empty() && !parser.is_done(); ++step) {
    const std::size_t used = parser.put(boost::asio::buffer(rest), out.ec);
    rest.erase(0, used);
    if (out.ec && out.ec != boost::beast::http::error::need_more) break;
    if (parser.is_header_done()) parser.eager(true);
  }
  out.violation = parser.violation();
  out.done = parser.is_done();
  if (out.done) parser.TakeInto(out.request);
  return out;
}

std::string Deflate(const std::string& data, int window_bits) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(HttpParser, ParsesARequestWithEachFraming) {
  const auto length = Parse("POST /v1/classify?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_TRUE(length.done) << length.ec.message();
  EXPECT_EQ(length.request.method, "POST");
  EXPECT_EQ(length.request.path, "/v1/classify");
  EXPECT_EQ(length.request.body, "hello");
  EXPECT_EQ(length.request.Header("host"), "a");
  const auto chunked =
      Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked.done) << chunked.ec.message();
  EXPECT_EQ(chunked.request.body, "hello");
}

TEST(HttpParser, RefusesABodyOverTheLimitUnderEitherFraming) {
  HttpLimits limits;
  limits.max_body_bytes = 64;
  const auto length = Parse("POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n", limits);
  EXPECT_EQ(length.ec, boost::beast::http::error::body_limit);  // before a byte of the body
  const std::string chunk = "20\r\n" + std::string(32, 'a') + "\r\n";
  const auto chunked = Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk, limits);
  EXPECT_EQ(chunked.ec, boost::beast::http::error::body_limit);
}

TEST(HttpParser, RefusesTooManyFieldsALongFieldAndALongTarget) {
  HttpLimits limits;
  limits.max_header_count = 8;
  limits.max_header_line_bytes = 256;
  limits.max_url_bytes = 64;
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 9; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(Parse(many + "\r\n", limits).violation, Rejection::kTooManyHeaders);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nX: " + std::string(300, 'a') + "\r\n\r\n", limits).violation,
            Rejection::kHeaderLineTooLong);
  EXPECT_EQ(Parse("GET /" + std::string(100, 'a') + " HTTP/1.1\r\n\r\n", limits).violation, Rejection::kUrlTooLong);
  // Trailers count as fields too.
  std::string trailers = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  for (int i = 0; i < 9; ++i) trailers += "T-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(Parse(trailers + "\r\n", limits).violation, Rejection::kTooManyHeaders);
}

TEST(HttpParser, RefusesAmbiguousFraming) {
  EXPECT_TRUE(Parse("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").ec);
  EXPECT_TRUE(Parse("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd").ec);
  EXPECT_TRUE(Parse("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n").ec);
  EXPECT_TRUE(Parse("GET / HTTP/2.0\r\n\r\n").ec);
}

TEST(BodyEncoding, NamesOneCodingOrNone) {
  EXPECT_EQ(ParseContentEncoding(""), BodyEncoding::kIdentity);
  EXPECT_EQ(ParseContentEncoding(" Identity "), BodyEncoding::kIdentity);
  EXPECT_EQ(ParseContentEncoding("GZIP"), BodyEncoding::kGzip);
  EXPECT_EQ(ParseContentEncoding("x-gzip"), BodyEncoding::kGzip);
  EXPECT_EQ(ParseContentEncoding("deflate"), BodyEncoding::kDeflate);
  EXPECT_EQ(ParseContentEncoding("br"), BodyEncoding::kUnsupported);
  EXPECT_EQ(ParseContentEncoding("gzip, gzip"), BodyEncoding::kUnsupported);
}

TEST(BodyEncoding, InflatesGzipAndDeflateUpToTheLimit) {
  const std::string text = R"({"text": "hello"})";
  std::string out;
  EXPECT_EQ(Inflate(Deflate(text, 15 + 16), BodyEncoding::kGzip, 1024, out), InflateResult::kOk);
  EXPECT_EQ(out, text);
  EXPECT_EQ(Inflate(Deflate(text, 15), BodyEncoding::kDeflate, 1024, out), InflateResult::kOk);
  EXPECT_EQ(out, text);
  EXPECT_EQ(Inflate(Deflate(text, 15), BodyEncoding::kDeflate, text.size(), out), InflateResult::kOk);
  EXPECT_EQ(Inflate(Deflate(text, 15), BodyEncoding::kDeflate, text.size() - 1, out), InflateResult::kTooLarge);
  EXPECT_TRUE(out.empty());
}

TEST(BodyEncoding, StopsABombAtTheLimit) {
  const std::string bomb = Deflate(std::string(64 << 20, 'a'), 15 + 16);  // about 64 KiB
  ASSERT_LT(bomb.size(), 100000u);
  std::string out;
  EXPECT_EQ(Inflate(bomb, BodyEncoding::kGzip, 1 << 20, out), InflateResult::kTooLarge);
  EXPECT_TRUE(out.empty());
}

TEST(BodyEncoding, RefusesDamagedTruncatedAndTrailingData) {
  const std::string gzip = Deflate("some text to compress", 15 + 16);
  std::string out;
  EXPECT_EQ(Inflate(gzip.substr(0, gzip.size() - 5), BodyEncoding::kGzip, 1024, out), InflateResult::kCorrupt);
  EXPECT_EQ(Inflate(gzip + "junk", BodyEncoding::kGzip, 1024, out), InflateResult::kCorrupt);
  std::string damaged = gzip;
  damaged[12] = static_cast<char>(damaged[12] ^ 0x55);
  EXPECT_EQ(Inflate(damaged, BodyEncoding::kGzip, 1024, out), InflateResult::kCorrupt);
  EXPECT_EQ(Inflate("", BodyEncoding::kGzip, 1024, out), InflateResult::kCorrupt);
  EXPECT_EQ(Inflate(gzip, BodyEncoding::kDeflate, 1024, out), InflateResult::kCorrupt);  // a gzip wrapper is not zlib
}

}  // namespace
}  // namespace fastintent::serve
