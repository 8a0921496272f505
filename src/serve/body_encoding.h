#pragma once
// Request bodies sent with Content-Encoding gzip or deflate: the only decompression the server does, and it
// stops at a limit on the inflated size, so a small body cannot expand into a large one (a compression bomb).
#include <cstddef>
#include <string>
#include <string_view>

namespace fastintent::serve {

enum class BodyEncoding { kIdentity, kGzip, kDeflate, kUnsupported };

// The coding a Content-Encoding value names ("" and "identity": none; one of gzip, x-gzip, deflate in any letter
// case); a list of codings or any other name is kUnsupported.
BodyEncoding ParseContentEncoding(std::string_view value);

enum class InflateResult { kOk, kTooLarge, kCorrupt };

// Inflates a gzip (RFC 1952) or zlib (RFC 1950, what HTTP calls deflate) stream into `out`. kTooLarge as soon as
// the output would pass `limit` bytes (no more is produced); kCorrupt for a damaged, truncated or trailing-data
// stream.
InflateResult Inflate(std::string_view compressed, BodyEncoding encoding, std::size_t limit, std::string& out);

}  // namespace fastintent::serve
