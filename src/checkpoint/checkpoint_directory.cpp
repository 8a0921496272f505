#include <filesystem>
#include <string>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {

Checkpoint ReadCheckpoint(const std::filesystem::path& directory) {
  if (!std::filesystem::is_directory(directory)) {
    throw IoError(directory.string() + ": checkpoint directory does not exist");
  }
  const std::filesystem::path weights = directory / "model.safetensors";
  if (!std::filesystem::exists(weights)) {
    const bool pickle = std::filesystem::exists(directory / "pytorch_model.bin");
    throw InvalidInput(directory.string() + ": no model.safetensors" +
                       (pickle ? " (found pytorch_model.bin: re-save the model with safe_serialization=True)" : ""));
  }
  Checkpoint checkpoint;
  checkpoint.config = ReadModelConfig(directory / "config.json");
  checkpoint.weights = CanonicalWeights(ReadSafetensors(weights), checkpoint.config.architecture);
  return checkpoint;
}

}  // namespace fastintent::checkpoint
