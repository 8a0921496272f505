#pragma once
// `fastintent serve`: the HTTP service. ServeConfig is the one typed configuration (flags and FASTINTENT_*
// environment variables fill it in src/cli/commands/serve_command.cpp; docs/api.md lists every default).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/runtime/classifier.h"
#include "fastintent/serve/batcher.h"
#include "fastintent/serve/classify_request.h"

namespace fastintent::serve {

struct ModelSpec {
  std::string name;
  std::filesystem::path dir;
};

enum class LongTextPolicy { kTruncate, kReject };

struct ServeConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::vector<ModelSpec> models;         // at least one
  std::string default_model;             // empty: the first model
  bool quantized = false;                // serve model_quantized.onnx
  std::size_t http_threads = 64;         // connections served at once (keep-alive holds one each; they mostly wait)
  int intra_op_threads = 1;              // ONNX Runtime threads per batch
  std::optional<std::size_t> max_length; // token limit override
  BatcherOptions batcher{2, 4096, 32, 256, true, 0.5};
  RequestLimits limits;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t default_top_k = 1;
  std::optional<float> fallback_threshold;  // overrides config.json "fallback_threshold" (else 0 = never)
  LongTextPolicy long_text = LongTextPolicy::kTruncate;
  std::size_t request_timeout_ms = 30000;   // admitted request not answered by then -> 503 timeout
  int keep_alive_seconds = 5;
  std::string admin_token;                  // empty: POST /v1/admin/reload answers 403
  std::string log_level = "info";
  bool log_requests = false;                // one JSON line per request at info level
};

// Throws fastintent::InvalidInput naming the flag, its environment variable, the value and what to change.
void ValidateServeConfig(const ServeConfig& config);

using ModelLoader = std::function<std::shared_ptr<const runtime::Classifier>(const std::filesystem::path& dir,
                                                                             const runtime::ClassifierOptions&)>;
// runtime::Classifier::Load (or a loader that explains the build has no runtime).
ModelLoader DefaultModelLoader();

// Loads and warms every model, binds, serves until SIGTERM/SIGINT (drain, exit 0); SIGHUP reloads all
// models. Returns the process exit code. Throws fastintent::Error when a model cannot be loaded or the
// address cannot be bound.
int RunServer(const ServeConfig& config, const ModelLoader& loader);

}  // namespace fastintent::serve
