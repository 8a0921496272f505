// libFuzzer target on the checkpoint readers: arbitrary bytes as a model.safetensors file, as a config.json
// and as a shape file. Bad input may throw fastintent::InvalidInput; anything else (a crash, a sanitizer
// report, another exception type, an out-of-memory from a size read off the file) is a bug.
#include <cstddef>
#include <cstdint>

#include "../common/fuzz_input_file.h"
#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/checkpoint/model_shape.h"
#include "fastintent/common/error.h"

namespace {

template <typename Read>
void ExpectReadOrInvalidInput(const Read& read) {
  try {
    read();
  } catch (const fastintent::InvalidInput&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& file = fastintent::testing::WriteFuzzInput(data, size, ".json");
  ExpectReadOrInvalidInput([&] { (void)fastintent::checkpoint::ReadSafetensors(file); });
  ExpectReadOrInvalidInput([&] { (void)fastintent::checkpoint::ReadModelConfig(file); });
  ExpectReadOrInvalidInput([&] { (void)fastintent::checkpoint::ReadModelShapes(file); });
  return 0;
}
