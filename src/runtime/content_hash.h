#pragma once
// A short content hash of a file, used as the model version (ModelInfo::version) so that a reloaded or
// replaced model is visible to clients. FNV-1a 64-bit: not cryptographic, only a change detector.
#include <filesystem>
#include <string>

namespace fastintent::runtime {

// 12 lowercase hex digits. Throws IoError if the file cannot be read.
std::string FileContentHash(const std::filesystem::path& file);

}  // namespace fastintent::runtime
