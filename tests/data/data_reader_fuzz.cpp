// libFuzzer target: arbitrary bytes through the CSV/TSV/JSONL parsers. Bad input may throw
// fastintent::InvalidInput; anything else (a crash, a sanitizer report, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fastintent/common/error.h"
#include "fastintent/common/utf8.h"
#include "table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const std::filesystem::path file = "fuzz.input";
  using namespace fastintent::data::detail;
  (void)fastintent::utf8::FirstInvalid(content);
  try {
    (void)ParseDelimited(content, ',', true, file);
  } catch (const fastintent::InvalidInput&) {
  }
  try {
    (void)ParseDelimited(content, '\t', false, file);
  } catch (const fastintent::InvalidInput&) {
  }
  try {
    (void)ParseJsonLines(content, {{"text"}, {"category", "label"}}, file);
  } catch (const fastintent::InvalidInput&) {
  }
  return 0;
}
