#pragma once
// Model shapes for random initialisation: a small shape JSON, or one entry of
// ../shared/models/seed-architectures.json chosen by name.
#include <filesystem>
#include <string>

#include "fastintent/checkpoint/checkpoint.h"

namespace fastintent::train {

// Accepted layouts:
//   {"family": "bert"|"distilbert", "hidden": H, "layers": L, "heads": A, "intermediate": I, "vocab": V,
//    "max_positions": P (default 512), "type_vocab": T (default 2 for bert, 0 for distilbert)}
//   {"models": [ {"name": ..., <the keys above>}, ... ]}  with `model_name` choosing the entry.
// Throws InvalidInput naming the file and key for a missing or non-positive value, hidden % heads != 0,
// an unknown family, or an unknown/missing model name.
checkpoint::ModelConfig ReadModelShape(const std::filesystem::path& file, const std::string& model_name = "");

}  // namespace fastintent::train
