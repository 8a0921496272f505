#include <set>

#include "fastintent/common/error.h"
#include "fastintent/serve/server.h"

namespace fastintent::serve {
namespace {

void Require(bool ok, const std::string& flag, const std::string& env, const std::string& got,
             const std::string& expected) {
  if (!ok) throw InvalidInput(flag + " (" + env + "): got " + got + ", expected " + expected);
}

}  // namespace

void ValidateServeConfig(const ServeConfig& c) {
  Require(!c.models.empty(), "--model", "FASTINTENT_MODEL", "no model", "at least one NAME=DIR or DIR");
  std::set<std::string> names;
  for (const auto& model : c.models) {
    Require(!model.name.empty(), "--model", "FASTINTENT_MODEL", "an empty name for '" + model.dir.string() + "'",
            "NAME=DIR with a non-empty NAME");
    Require(names.insert(model.name).second, "--model", "FASTINTENT_MODEL", "the name '" + model.name + "' twice",
            "unique names");
    Require(std::filesystem::is_directory(model.dir), "--model", "FASTINTENT_MODEL",
            "'" + model.dir.string() + "' which is not a directory", "a model directory (config.json, model.onnx)");
  }
  Require(c.default_model.empty() || names.count(c.default_model) > 0, "--default-model", "FASTINTENT_DEFAULT_MODEL",
          "'" + c.default_model + "'", "one of the --model names");
  Require(!c.host.empty(), "--host", "FASTINTENT_HOST", "an empty host", "an address such as 127.0.0.1");
  Require(c.port >= 0 && c.port <= 65535, "--port", "FASTINTENT_PORT", std::to_string(c.port), "0..65535");
  Require(c.http_threads >= 1 && c.http_threads <= 1024, "--http-threads", "FASTINTENT_HTTP_THREADS",
          std::to_string(c.http_threads), "1..1024");
  Require(c.intra_op_threads >= 1 && c.intra_op_threads <= 256, "--intra-op-threads", "FASTINTENT_INTRA_OP_THREADS",
          std::to_string(c.intra_op_threads), "1..256");
  Require(c.batcher.inference_threads >= 1 && c.batcher.inference_threads <= 256, "--inference-threads",
          "FASTINTENT_INFERENCE_THREADS", std::to_string(c.batcher.inference_threads), "1..256");
  Require(c.batcher.max_batch_texts >= 1, "--max-batch-texts", "FASTINTENT_MAX_BATCH_TEXTS",
          std::to_string(c.batcher.max_batch_texts), ">= 1");
  Require(c.batcher.max_batch_tokens >= 1, "--max-batch-tokens", "FASTINTENT_MAX_BATCH_TOKENS",
          std::to_string(c.batcher.max_batch_tokens), ">= 1");
  Require(c.batcher.max_padding_waste == -1 || (c.batcher.max_padding_waste >= 0 && c.batcher.max_padding_waste <= 100),
          "--max-padding-waste", "FASTINTENT_MAX_PADDING_WASTE", std::to_string(c.batcher.max_padding_waste),
          "-1 (one model call per batch) or 0..100");
  Require(c.batcher.queue_capacity >= 1, "--queue-size", "FASTINTENT_QUEUE_SIZE",
          std::to_string(c.batcher.queue_capacity), ">= 1");
  Require(c.limits.max_texts >= 1 && c.limits.max_texts <= c.batcher.queue_capacity, "--max-texts",
          "FASTINTENT_MAX_TEXTS", std::to_string(c.limits.max_texts),
          "1..--queue-size (" + std::to_string(c.batcher.queue_capacity) + ") so that one request can fit the queue");
  Require(c.limits.max_text_chars >= 1, "--max-text-chars", "FASTINTENT_MAX_TEXT_CHARS",
          std::to_string(c.limits.max_text_chars), ">= 1");
  Require(c.max_body_bytes >= 64, "--max-body-bytes", "FASTINTENT_MAX_BODY_BYTES", std::to_string(c.max_body_bytes),
          ">= 64");
  Require(c.default_top_k >= 1 && c.default_top_k <= c.limits.max_top_k, "--top-k", "FASTINTENT_TOP_K",
          std::to_string(c.default_top_k), "1.." + std::to_string(c.limits.max_top_k));
  if (c.fallback_threshold) {
    Require(*c.fallback_threshold >= 0.0f && *c.fallback_threshold <= 1.0f, "--fallback-threshold",
            "FASTINTENT_FALLBACK_THRESHOLD", std::to_string(*c.fallback_threshold), "a probability in [0, 1]");
  }
  if (c.max_length) {
    Require(*c.max_length >= 2, "--max-length", "FASTINTENT_MAX_LENGTH", std::to_string(*c.max_length), ">= 2");
  }
  Require(c.request_timeout_ms >= 1, "--request-timeout-ms", "FASTINTENT_REQUEST_TIMEOUT_MS",
          std::to_string(c.request_timeout_ms), ">= 1");
  Require(c.keep_alive_seconds >= 1, "--keep-alive-seconds", "FASTINTENT_KEEP_ALIVE_SECONDS",
          std::to_string(c.keep_alive_seconds), ">= 1");
  Require(c.log_level == "debug" || c.log_level == "info" || c.log_level == "warn" || c.log_level == "error",
          "--log-level", "FASTINTENT_LOG_LEVEL", "'" + c.log_level + "'", "debug, info, warn or error");
}

}  // namespace fastintent::serve
