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

// The same over strings, each followed by a 0 byte so that {"ab", "c"} and {"a", "bc"} differ (a model made of
// other models, e.g. an ensemble's version over its members' versions).
std::string TextsContentHash(const std::vector<std::string>& texts);

}  // namespace fastintent::runtime
