#include "body_encoding.h"

#include <zlib.h>

#include "http_message.h"

namespace fastintent::serve {

BodyEncoding ParseContentEncoding(std::string_view value) {
  value = TrimBlanks(value);
  if (value.empty() || EqualsIgnoringCase(value, "identity")) return BodyEncoding::kIdentity;
  if (EqualsIgnoringCase(value, "gzip") || EqualsIgnoringCase(value, "x-gzip")) return BodyEncoding::kGzip;
  if (EqualsIgnoringCase(value, "deflate")) return BodyEncoding::kDeflate;
  return BodyEncoding::kUnsupported;
}

InflateResult Inflate(std::string_view compressed, BodyEncoding encoding, std::size_t limit, std::string& out) {
  out.clear();
  z_stream stream{};
  // 15: the largest window; +16 reads a gzip wrapper, plain 15 a zlib one.
  if (inflateInit2(&stream, encoding == BodyEncoding::kGzip ? 15 + 16 : 15) != Z_OK) return InflateResult::kCorrupt;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  InflateResult result = InflateResult::kCorrupt;
  char chunk[16384];
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    const int status = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = sizeof chunk - stream.avail_out;
    if (out.size() + produced > limit) {
      result = InflateResult::kTooLarge;
      break;
    }
    out.append(chunk, produced);
    if (status == Z_STREAM_END) {
      // Anything after the end of the stream (a second gzip member included) is refused, not ignored.
      result = stream.avail_in == 0 ? InflateResult::kOk : InflateResult::kCorrupt;
      break;
    }
    // Z_BUF_ERROR with no input left: the stream is truncated.
    if (status != Z_OK || (stream.avail_in == 0 && produced == 0)) break;
  }
  inflateEnd(&stream);
  if (result != InflateResult::kOk) out.clear();
  return result;
}

}  // namespace fastintent::serve
