#pragma once
// For libFuzzer targets whose code under test reads files: writes each input to one temporary file per
// process (removed at a normal exit; a crashing run leaves it, beside libFuzzer's crash-* file).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace fastintent::testing {

// Returns the path of a file holding exactly `data`; `suffix` (e.g. ".json") for readers that go by the name.
inline const std::filesystem::path& WriteFuzzInput(const std::uint8_t* data, std::size_t size,
                                                   const std::string& suffix) {
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("fastintent-fuzz-" + std::to_string(::getpid()) + suffix);
  static const bool removed_at_exit = [] {
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove(file, ignored);
    });
    return true;
  }();
  (void)removed_at_exit;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return file;
}

}  // namespace fastintent::testing
