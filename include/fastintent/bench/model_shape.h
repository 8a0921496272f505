#pragma once
// The hyperparameters of a BERT-family encoder that decide its speed, read (through fastintent_checkpoint's
// readers) from the seed article's ../shared/models/seed-architectures.json or from a Hugging Face config.json.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace fastintent::bench {

enum class ModelFamily { kBert, kDistilBert };

struct ModelShape {
  std::string name;
  ModelFamily family = ModelFamily::kBert;
  std::size_t hidden = 0;
  std::size_t layers = 0;
  std::size_t heads = 0;
  std::size_t intermediate = 0;
  std::size_t vocab = 0;
  std::size_t max_positions = 512;
  std::size_t type_vocab = 2;   // 0 for DistilBERT (no token type embeddings)
  std::size_t num_labels = 2;
};

// Throws fastintent::InvalidInput / IoError naming the file and the field (checkpoint::ReadModelShapes).
std::vector<ModelShape> LoadSeedShapes(const std::filesystem::path& seed_architectures_json);
// checkpoint::ReadModelConfig (BERT or DistilBERT key layout); the name is the directory's.
ModelShape LoadShapeFromConfig(const std::filesystem::path& config_json);

std::string FamilyName(ModelFamily family);  // "bert" / "distilbert"

}  // namespace fastintent::bench
