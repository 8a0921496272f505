#pragma once
// Readers of the four pipeline stages of a tokenizer.json, one per stage folder (normalizers/,
// pre_tokenizers/, models/, post_processors/). Each throws InvalidInput naming the file, the field, what
// was found and what is supported.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "models/model.h"
#include "normalizers/normalizer.h"
#include "post_processors/post_processor.h"
#include "pre_tokenizers/pre_tokenizer.h"

namespace fastintent::text::detail {

// Sequences nest at most this deep (each level is a recursion of the reader).
inline constexpr int kMaxSequenceDepth = 16;

// null (absent) gives nullptr: no normalization.
std::unique_ptr<const Normalizer> ParseNormalizer(const nlohmann::json* node, const std::filesystem::path& file);
// null (absent) gives nullptr: each split is one word.
std::unique_ptr<const PreTokenizer> ParsePreTokenizer(const nlohmann::json* node, const std::filesystem::path& file);
std::unique_ptr<const Model> ParseModel(const nlohmann::json* node, const std::filesystem::path& file);
// null (absent) gives the plain concatenation (A, or A B with type ids 0 and 1).
PostProcessor ParsePostProcessor(const nlohmann::json* node, const std::filesystem::path& file);

}  // namespace fastintent::text::detail
