#pragma once
// The hyperparameters of a BERT-family encoder that decide its speed, read from the seed article's
// ../shared/models/seed-architectures.json or from a Hugging Face config.json.
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

// Throws fastintent::InvalidInput / IoError naming the file and the field.
std::vector<ModelShape> LoadSeedShapes(const std::filesystem::path& seed_architectures_json);
// Reads model_type, hidden_size/dim, num_hidden_layers/n_layers, num_attention_heads/n_heads,
// intermediate_size/hidden_dim, vocab_size, max_position_embeddings, type_vocab_size, id2label.
ModelShape LoadShapeFromConfig(const std::filesystem::path& config_json);

std::string FamilyName(ModelFamily family);  // "bert" / "distilbert"

}  // namespace fastintent::bench
