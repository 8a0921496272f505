// libFuzzer target on the checkpoint readers: arbitrary bytes as a model.safetensors file, as a config.json
// and as a shape file. The readers take paths, so each input is written to a per-process temporary file.
// Bad input may throw fastintent::InvalidInput; anything else (a crash, a sanitizer report, another
// exception type, an out-of-memory from a size read off the file) is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/checkpoint/model_shape.h"
#include "fastintent/common/error.h"

namespace {

const std::filesystem::path& InputFile() {
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("fastintent-checkpoint-fuzz-" + std::to_string(::getpid()));
  static const bool removed_at_exit = [] {
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove(file, ignored);
    });
    return true;
  }();
  (void)removed_at_exit;
  return file;
}

template <typename Read>
void ExpectReadOrInvalidInput(const Read& read) {
  try {
    read();
  } catch (const fastintent::InvalidInput&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(InputFile(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  ExpectReadOrInvalidInput([] { (void)fastintent::checkpoint::ReadSafetensors(InputFile()); });
  ExpectReadOrInvalidInput([] { (void)fastintent::checkpoint::ReadModelConfig(InputFile()); });
  ExpectReadOrInvalidInput([] { (void)fastintent::checkpoint::ReadModelShapes(InputFile()); });
  return 0;
}
