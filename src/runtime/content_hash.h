#pragma once
// A short content hash of a file, used as the model version (ModelInfo::version) so that a reloaded or
// replaced model is visible to clients. FNV-1a 64-bit: not cryptographic, only a change detector.
#include <filesystem>
#include <string>
#include <vector>

namespace fastintent::runtime {

// 12 lowercase hex digits. Throws IoError if the file cannot be read.
std::string FileContentHash(const std::filesystem::path& file);

// The same over the concatenated bytes of several files, in the given order (a model stored in more than
// one file, e.g. the n-gram model's config.json, features.tsv and weights.bin).
std::string FilesContentHash(const std::vector<std::filesystem::path>& files);

}  // namespace fastintent::runtime
