#include "fastintent/bench/model_shape.h"

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/checkpoint/model_shape.h"

namespace fastintent::bench {
namespace {

// The benchmark's view of a checkpoint config: the numbers that decide speed.
ModelShape FromConfig(std::string name, const checkpoint::ModelConfig& config) {
  ModelShape shape;
  shape.name = std::move(name);
  shape.family = config.architecture == checkpoint::Architecture::kDistilBert ? ModelFamily::kDistilBert
                                                                               : ModelFamily::kBert;
  shape.hidden = config.hidden_size;
  shape.layers = config.num_layers;
  shape.heads = config.num_heads;
  shape.intermediate = config.intermediate_size;
  shape.vocab = config.vocab_size;
  shape.max_positions = config.max_position_embeddings;
  shape.type_vocab = config.type_vocab_size;
  if (!config.labels.empty()) shape.num_labels = config.labels.size();
  return shape;
}

}  // namespace

std::string FamilyName(ModelFamily family) { return family == ModelFamily::kDistilBert ? "distilbert" : "bert"; }

std::vector<ModelShape> LoadSeedShapes(const std::filesystem::path& path) {
  std::vector<ModelShape> shapes;
  for (auto& entry : checkpoint::ReadModelShapes(path)) shapes.push_back(FromConfig(entry.name, entry.config));
  return shapes;
}

ModelShape LoadShapeFromConfig(const std::filesystem::path& path) {
  return FromConfig(path.parent_path().filename().string(), checkpoint::ReadModelConfig(path));
}

}  // namespace fastintent::bench
