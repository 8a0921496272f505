// libFuzzer target on tokenizer.json loading: arbitrary bytes as a tokenizer.json file. Loading either fails
// with fastintent::InvalidInput or gives a tokenizer that encodes a fixed text without error; anything else
// (a crash, a sanitizer report, another exception type, an allocation sized by an id in the file) is a bug.
#include <cstddef>
#include <cstdint>

#include "../common/fuzz_input_file.h"
#include "fastintent/common/error.h"
#include "fastintent/text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& file = fastintent::testing::WriteFuzzInput(data, size, ".json");
  try {
    const auto tokenizer = fastintent::text::Tokenizer::Load(file);
    (void)tokenizer.Encode("привет, Hello worlds! 123 тарифы");
    (void)tokenizer.EncodePair("привет", "world");
  } catch (const fastintent::InvalidInput&) {
  }
  return 0;
}
