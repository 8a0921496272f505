#pragma once
// One loaded, warmed model version with its own batcher. Immutable once built; a reload builds a new
// slot and swaps it in (ModelRegistry), then drains the old slot's batcher.
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "batcher.h"
#include "fastintent/runtime/classifier.h"
#include "fastintent/serve/server.h"
#include "serve_metrics.h"

namespace fastintent::serve {

struct ModelSlot {
  std::string name;
  std::filesystem::path dir;
  std::shared_ptr<const runtime::Classifier> classifier;
  float fallback_threshold = 0.0f;  // the classifier's (--fallback-threshold passed to it, else the model's
                                    // config.json, else 0 = never); predictions carry the decision
  std::unique_ptr<Batcher> batcher;
};

// Loads `spec.dir`, reads the fallback threshold, runs a warm-up batch, starts the batcher. Throws
// fastintent::Error (with the directory and the reason) when any step fails.
std::shared_ptr<ModelSlot> LoadModelSlot(const ModelSpec& spec, const ServeConfig& config, const ModelLoader& loader,
                                         ServeMetrics& metrics);

// Models by name; lookups copy a shared_ptr under a short lock, so a swap never blocks inference.
class ModelRegistry {
 public:
  void Put(std::shared_ptr<ModelSlot> slot);                         // adds or replaces; returns nothing, see Swap
  std::shared_ptr<ModelSlot> Swap(std::shared_ptr<ModelSlot> slot);  // replaces, returns the old one
  std::shared_ptr<ModelSlot> Find(const std::string& name) const;    // nullptr when unknown
  std::vector<std::shared_ptr<ModelSlot>> All() const;               // in the order of first Put
  std::string Names() const;                                         // "a, b" in that order (for error messages)
  void set_default(std::string name);
  std::string default_name() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<ModelSlot>> slots_;
  std::vector<std::string> order_;
  std::string default_;
};

}  // namespace fastintent::serve
