#include "model_slot.h"

#include <algorithm>

#include "fastintent/common/error.h"

namespace fastintent::serve {

std::shared_ptr<ModelSlot> LoadModelSlot(const ModelSpec& spec, const ServeConfig& config, const ModelLoader& loader,
                                         ServeMetrics& metrics) {
  auto slot = std::make_shared<ModelSlot>();
  slot->name = spec.name;
  slot->dir = spec.dir;
  runtime::ClassifierOptions options;
  options.quantized = config.quantized;
  options.intra_op_threads = config.intra_op_threads;
  options.native_attention = !config.ort_attention;
  options.max_length = config.max_length;
  if (config.fallback_threshold) options.fallback_threshold = *config.fallback_threshold;
  try {
    slot->classifier = loader(spec.dir, options);
    if (!slot->classifier) throw Error("the loader returned no model");
    slot->fallback_threshold = static_cast<float>(slot->classifier->info().fallback_threshold.value_or(0.0));
    // Warm-up: one real batch through the same path requests take, so the first request is not slow
    // and a model that loads but cannot run is refused here.
    const auto& classifier = *slot->classifier;
    std::vector<runtime::PreparedText> warm;
    for (const char* text : {"hello, I want to check my balance", "Здравствуйте, хочу подключить тариф"}) {
      warm.push_back(classifier.Prepare(text));
    }
    std::stable_sort(warm.begin(), warm.end(),
                     [](const auto& a, const auto& b) { return a.cost() < b.cost(); });
    const auto predictions = classifier.ClassifyPrepared(warm, 1);
    if (predictions.size() != warm.size()) {
      throw Error("warm-up returned " + std::to_string(predictions.size()) + " predictions for " +
                  std::to_string(warm.size()) + " texts");
    }
  } catch (const Error& e) {
    throw InvalidInput("model '" + spec.name + "' at " + spec.dir.string() + ": " + e.what());
  } catch (const std::exception& e) {
    throw InvalidInput("model '" + spec.name + "' at " + spec.dir.string() + ": " + e.what());
  }
  std::shared_ptr<const runtime::Classifier> classifier = slot->classifier;
  const std::string name = spec.name;
  BatcherObserver observer;
  observer.on_batch = [&metrics, name](std::size_t texts, std::size_t tokens) {
    metrics.ObserveBatch(name, texts, tokens);
  };
  observer.on_queue_depth = [&metrics, name](std::size_t depth) { metrics.SetQueueDepth(name, depth); };
  // The gauge exists from the start: with inline runs at low load the queue may never be used.
  metrics.SetQueueDepth(name, 0);
  observer.on_dropped = [&metrics, name](std::size_t texts) { metrics.CountDropped(name, texts); };
  slot->batcher =
      std::make_unique<Batcher>([classifier](const std::vector<runtime::PreparedText>& batch,
                                             std::size_t top_k) { return classifier->ClassifyPrepared(batch, top_k); },
                                config.batcher, std::move(observer));
  return slot;
}

void ModelRegistry::Put(std::shared_ptr<ModelSlot> slot) { (void)Swap(std::move(slot)); }

std::shared_ptr<ModelSlot> ModelRegistry::Swap(std::shared_ptr<ModelSlot> slot) {
  std::lock_guard lock(mutex_);
  auto& entry = slots_[slot->name];
  if (!entry) order_.push_back(slot->name);
  std::swap(entry, slot);
  return slot;
}

std::shared_ptr<ModelSlot> ModelRegistry::Find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = slots_.find(name.empty() ? default_ : name);
  return it == slots_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<ModelSlot>> ModelRegistry::All() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<ModelSlot>> all;
  for (const auto& name : order_) all.push_back(slots_.at(name));
  return all;
}

std::string ModelRegistry::Names() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::string names;
  for (const auto& name : order_) names += (names.empty() ? "" : ", ") + name;
  return names;
}

void ModelRegistry::set_default(std::string name) {
  std::lock_guard lock(mutex_);
  default_ = std::move(name);
}

std::string ModelRegistry::default_name() const {
  std::lock_guard lock(mutex_);
  return default_;
}

}  // namespace fastintent::serve
