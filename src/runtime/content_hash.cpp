#include "content_hash.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>

#include "fastintent/common/error.h"

namespace fastintent::runtime {
namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

void HashBytesInto(const char* bytes, std::size_t count, std::uint64_t& hash) {
  for (std::size_t i = 0; i < count; ++i) {
    hash ^= static_cast<unsigned char>(bytes[i]);
    hash *= kFnvPrime;
  }
}

void HashFileInto(const std::filesystem::path& file, std::uint64_t& hash) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(file.string() + ": cannot open for reading");
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    HashBytesInto(buffer.data(), static_cast<std::size_t>(in.gcount()), hash);
  }
  if (in.bad()) throw IoError(file.string() + ": read failed");
}

std::string ShortHex(std::uint64_t hash) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return std::string(hex, 12);
}

}  // namespace

std::string FileContentHash(const std::filesystem::path& file) { return FilesContentHash({file}); }

std::string FilesContentHash(const std::vector<std::filesystem::path>& files) {
  std::uint64_t hash = kFnvOffset;
  for (const auto& file : files) HashFileInto(file, hash);
  return ShortHex(hash);
}

std::string TextsContentHash(const std::vector<std::string>& texts) {
  std::uint64_t hash = kFnvOffset;
  for (const auto& text : texts) HashBytesInto(text.c_str(), text.size() + 1, hash);  // with its terminating 0
  return ShortHex(hash);
}

}  // namespace fastintent::runtime
