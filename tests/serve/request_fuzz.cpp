// libFuzzer target on request parsing: any byte string either parses or is rejected with an ApiError of
// a documented 4xx status; anything else (a crash, another exception type, a 5xx) is a bug.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api_error.h"
#include "classify_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fastintent::serve::RequestLimits limits;
  limits.max_texts = 8;
  limits.max_text_chars = 64;
  (void)fastintent::serve::IsJsonContentType(bytes);
  try {
    const auto request = fastintent::serve::ParseClassifyRequest(bytes, limits);
    if (request.texts.empty() || request.texts.size() > limits.max_texts) std::abort();
    if (request.top_k && (*request.top_k < 1 || *request.top_k > limits.max_top_k)) std::abort();
  } catch (const fastintent::serve::ApiError& e) {
    if (e.status() != 400 && e.status() != 422) std::abort();
    (void)fastintent::serve::ToHttpError(std::current_exception()).Body();
  }
  return 0;
}
