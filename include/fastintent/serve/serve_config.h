#pragma once
// The HTTP service's one typed configuration: flags and FASTINTENT_* environment variables fill it in
// src/cli/commands/serve_command.cpp; docs/api.md lists every default.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fastintent::serve {

struct BatcherOptions {
  std::size_t inference_threads = 1;    // batches that run at once
  std::size_t max_batch_tokens = 4096;  // padded tokens per batch: texts x longest text
  std::size_t max_batch_texts = 32;     // texts per batch
  std::size_t queue_capacity = 256;     // texts waiting (not yet in a running batch)
  // When the queue is empty and an inference slot is free, Submit runs the request as its own batch on
  // the calling thread instead of handing it to the scheduler and a worker: at low load this saves
  // three thread wake-ups per request and keeps the model's data in the caller's caches. Under load
  // the queue is not empty and everything goes through the scheduler as usual.
  bool run_inline_when_idle = false;
  // A formed batch (sorted by length) runs as several model calls when one call would pad too much: a
  // call takes the next texts while calls x longest <= (1 + max_padding_waste) x their real tokens.
  // Padding is computed like real tokens, so with mixed lengths one call per batch can spend most of its
  // time on padding. Negative: always one call per batch.
  double max_padding_waste = -1;
};

struct RequestLimits {
  std::size_t max_texts = 64;         // texts per request
  std::size_t max_text_chars = 4000;  // Unicode code points per text (what JSON Schema maxLength counts)
  std::size_t max_top_k = 100;
};

struct ModelSpec {
  std::string name;
  std::filesystem::path dir;
};

enum class LongTextPolicy { kTruncate, kReject };

struct ServeConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::vector<ModelSpec> models;          // at least one
  std::string default_model;              // empty: the first model
  bool quantized = false;                 // serve model_quantized.onnx
  std::size_t http_threads = 64;          // connections served at once (keep-alive holds one each; they mostly wait)
  int intra_op_threads = 1;               // ONNX Runtime threads per batch
  std::optional<std::size_t> max_length;  // token limit override
  BatcherOptions batcher{2, 4096, 32, 256, true, 0.5};
  RequestLimits limits;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t default_top_k = 1;
  std::optional<float> fallback_threshold;  // overrides config.json "fallback_threshold" (else 0 = never)
  LongTextPolicy long_text = LongTextPolicy::kTruncate;
  std::size_t request_timeout_ms = 30000;  // admitted request not answered by then -> 503 timeout
  int keep_alive_seconds = 5;
  std::string admin_token;  // empty: POST /v1/admin/reload answers 403
  std::string log_level = "info";
  bool log_requests = false;  // one JSON line per request at info level
};

// Throws fastintent::InvalidInput naming the flag, its environment variable, the value and what to change.
void ValidateServeConfig(const ServeConfig& config);

}  // namespace fastintent::serve
