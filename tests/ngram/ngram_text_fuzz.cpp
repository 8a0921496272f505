// libFuzzer target: arbitrary bytes (invalid UTF-8 included) through the n-gram analyzers. They must never
// throw or crash, and every n-gram they produce must be valid UTF-8 built from the lowered text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "text_features.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fastintent::ngram::detail;
  const std::u32string lowered = LowercaseCodePoints(std::string_view(reinterpret_cast<const char*>(data), size));
  if (lowered.size() > size) std::abort();  // at most one code point per input byte
  for (const auto& gram : WordNgrams(lowered, 1, 2)) {
    if (gram.empty()) std::abort();
  }
  for (const auto& gram : CharWbNgrams(lowered, 1, 5)) {
    if (gram.empty() || LowercaseCodePoints(gram).size() > 5) std::abort();
  }
  return 0;
}
