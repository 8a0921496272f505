#pragma once
// Model shapes for random initialisation (training from scratch, the benchmark's models): a small shape
// JSON, or the entries of configs/seed-architectures.json. Torch-free, so the benchmark reads them too.
#include <filesystem>
#include <string>
#include <vector>

#include "fastintent/checkpoint/checkpoint.h"

namespace fastintent::checkpoint {

// Accepted layouts:
//   {"family": "bert"|"distilbert", "hidden": H, "layers": L, "heads": A, "intermediate": I, "vocab": V,
//    "max_positions": P (default 512), "type_vocab": T (default 2 for bert, 0 for distilbert)}
//   {"models": [ {"name": ..., <the keys above>}, ... ]}  with `model_name` choosing the entry.
// Throws InvalidInput naming the file and key for a missing or non-positive value, hidden % heads != 0,
// an unknown family, or an unknown/missing model name.
ModelConfig ReadModelShape(const std::filesystem::path& file, const std::string& model_name = "");

struct NamedModelShape {
  std::string name;  // empty for a single-shape file
  ModelConfig config;
};
// Every shape of the file in order (one unnamed entry for the single-shape layout); same checks.
std::vector<NamedModelShape> ReadModelShapes(const std::filesystem::path& file);

}  // namespace fastintent::checkpoint
