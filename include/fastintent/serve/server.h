#pragma once
// `fastintent serve`: the HTTP service's entry point (its configuration is in serve_config.h).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/runtime/classifier.h"
#include "fastintent/serve/serve_config.h"

namespace fastintent::serve {

using ModelLoader = std::function<std::shared_ptr<const runtime::Classifier>(const std::filesystem::path& dir,
                                                                             const runtime::ClassifierOptions&)>;
// runtime::Classifier::Load; tests pass a loader of fake models instead.
ModelLoader DefaultModelLoader();

// Loads and warms every model, binds, serves until SIGTERM/SIGINT (drain, exit 0); SIGHUP reloads all
// models. Returns the process exit code. Throws fastintent::Error when a model cannot be loaded or the
// address cannot be bound.
int RunServer(const ServeConfig& config, const ModelLoader& loader);

}  // namespace fastintent::serve
