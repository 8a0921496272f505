#pragma once
// Request ids: a client's X-Request-Id is kept when it is usable (1..128 characters of letters, digits and
// -_.:/+=@), otherwise a new random one is made. The id is echoed in X-Request-Id, written in the request's log
// lines and in its error bodies, so a client's report finds the server's log line.
#include <string>
#include <string_view>

namespace fastintent::serve {

bool IsUsableRequestId(std::string_view id);
std::string NewRequestId();  // 16 lower-case hex digits (64 random bits)

}  // namespace fastintent::serve
