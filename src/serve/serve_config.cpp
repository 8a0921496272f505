#include <sched.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <tuple>

#include "fastintent/common/error.h"
#include "fastintent/serve/server.h"

namespace fastintent::serve {
namespace {

void Require(bool ok, const std::string& flag, const std::string& env, const std::string& got,
             const std::string& expected) {
  if (!ok) throw InvalidInput(flag + " (" + env + "): got " + got + ", expected " + expected);
}

}  // namespace

bool ReadAdminTokenFile(const std::filesystem::path& path, std::string& token) {
  std::ifstream in(path);
  if (!in || !std::getline(in, token)) return false;
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) token.pop_back();
  return !token.empty();
}

std::size_t HttpThreads(const ServeConfig& config) {
  if (config.http_threads > 0) return config.http_threads;
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  const int available = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 2;
  return static_cast<std::size_t>(std::max(available, 2));
}

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
  Require(c.http_threads <= 1024, "--http-threads", "FASTINTENT_HTTP_THREADS", std::to_string(c.http_threads),
          "0 (one per CPU) or 1..1024");
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
  const HttpLimits& h = c.http;
  constexpr std::size_t kGiB = std::size_t{1} << 30;
  Require(h.max_body_bytes >= 64 && h.max_body_bytes <= kGiB, "--max-body-bytes", "FASTINTENT_MAX_BODY_BYTES",
          std::to_string(h.max_body_bytes), "64..1073741824");
  Require(h.max_inflated_body_bytes == 0 || (h.max_inflated_body_bytes >= 64 && h.max_inflated_body_bytes <= kGiB),
          "--max-inflated-body-bytes", "FASTINTENT_MAX_INFLATED_BODY_BYTES", std::to_string(h.max_inflated_body_bytes),
          "0 (compressed bodies refused) or 64..1073741824");
  Require(h.max_header_bytes >= 1024 && h.max_header_bytes <= (1u << 20), "--max-header-bytes",
          "FASTINTENT_MAX_HEADER_BYTES", std::to_string(h.max_header_bytes), "1024..1048576");
  Require(h.max_header_line_bytes >= 256 && h.max_header_line_bytes <= h.max_header_bytes, "--max-header-line-bytes",
          "FASTINTENT_MAX_HEADER_LINE_BYTES", std::to_string(h.max_header_line_bytes),
          "256..--max-header-bytes (" + std::to_string(h.max_header_bytes) + ")");
  Require(h.max_header_count >= 8 && h.max_header_count <= 10000, "--max-header-count", "FASTINTENT_MAX_HEADER_COUNT",
          std::to_string(h.max_header_count), "8..10000");
  Require(h.max_url_bytes >= 64 && h.max_url_bytes <= h.max_header_bytes, "--max-url-bytes", "FASTINTENT_MAX_URL_BYTES",
          std::to_string(h.max_url_bytes), "64..--max-header-bytes (" + std::to_string(h.max_header_bytes) + ")");
  Require(h.max_connections >= 1 && h.max_connections <= 1000000, "--max-connections", "FASTINTENT_MAX_CONNECTIONS",
          std::to_string(h.max_connections), "1..1000000");
  Require(h.header_timeout_ms >= 1, "--header-timeout-ms", "FASTINTENT_HEADER_TIMEOUT_MS",
          std::to_string(h.header_timeout_ms), ">= 1");
  Require(h.body_timeout_ms >= 1, "--body-timeout-ms", "FASTINTENT_BODY_TIMEOUT_MS", std::to_string(h.body_timeout_ms),
          ">= 1");
  Require(h.write_timeout_ms >= 1, "--write-timeout-ms", "FASTINTENT_WRITE_TIMEOUT_MS",
          std::to_string(h.write_timeout_ms), ">= 1");
  Require(h.keep_alive_seconds >= 1, "--keep-alive-seconds", "FASTINTENT_KEEP_ALIVE_SECONDS",
          std::to_string(h.keep_alive_seconds), ">= 1");
  Require(c.probe_port >= 0 && c.probe_port <= 65535 && (c.probe_port == 0 || c.probe_port != c.port), "--probe-port",
          "FASTINTENT_PROBE_PORT", std::to_string(c.probe_port), "0 (off) or a port other than --port");
  Require(c.drain_delay_seconds >= 0 && c.drain_delay_seconds <= 3600, "--drain-delay", "FASTINTENT_DRAIN_DELAY",
          std::to_string(c.drain_delay_seconds), "0..3600 seconds");
  Require(c.shutdown_timeout_seconds > c.drain_delay_seconds && c.shutdown_timeout_seconds <= 3600,
          "--shutdown-timeout", "FASTINTENT_SHUTDOWN_TIMEOUT", std::to_string(c.shutdown_timeout_seconds),
          "more than --drain-delay (" + std::to_string(c.drain_delay_seconds) + ") and at most 3600 seconds");
  Require(c.tls_cert.empty() == c.tls_key.empty(), "--tls-cert/--tls-key", "FASTINTENT_TLS_CERT/FASTINTENT_TLS_KEY",
          c.tls_cert.empty() ? "only a key" : "only a certificate", "both or neither");
  for (const auto& [flag, env, path] : {std::tuple{"--tls-cert", "FASTINTENT_TLS_CERT", c.tls_cert},
                                        std::tuple{"--tls-key", "FASTINTENT_TLS_KEY", c.tls_key}}) {
    Require(path.empty() || std::ifstream(path).good(), flag, env, "'" + path + "' which cannot be read",
            "a readable PEM file");
  }
  Require(c.admin_token.empty() || c.admin_token_file.empty(), "--admin-token-file", "FASTINTENT_ADMIN_TOKEN_FILE",
          "both a token and a token file", "one of them (the file keeps the token out of ps and the environment)");
  if (!c.admin_token_file.empty()) {
    std::string token;
    Require(ReadAdminTokenFile(c.admin_token_file, token), "--admin-token-file", "FASTINTENT_ADMIN_TOKEN_FILE",
            "'" + c.admin_token_file + "' which cannot be read or whose first line is empty",
            "a readable file whose first line is the token");
  }
  Require(c.default_top_k >= 1 && c.default_top_k <= c.limits.max_top_k, "--top-k", "FASTINTENT_TOP_K",
          std::to_string(c.default_top_k), "1.." + std::to_string(c.limits.max_top_k));
  if (c.fallback_threshold) {
    Require(*c.fallback_threshold >= 0.0f && *c.fallback_threshold <= 1.0f, "--fallback-threshold",
            "FASTINTENT_FALLBACK_THRESHOLD", std::to_string(*c.fallback_threshold), "a probability in [0, 1]");
  }
  const auto& sample = c.fallback_sample;
  Require(sample.per_minute > 0 && sample.per_minute <= 60000, "--fallback-sample-per-minute",
          "FASTINTENT_FALLBACK_SAMPLE_PER_MINUTE", std::to_string(sample.per_minute), "0 < texts per minute <= 60000");
  Require(sample.max_file_bytes >= 4096, "--fallback-sample-max-mb", "FASTINTENT_FALLBACK_SAMPLE_MAX_MB",
          std::to_string(sample.max_file_bytes) + " bytes", "at least 4096 bytes (0.004 MiB)");
  Require(sample.max_files >= 1 && sample.max_files <= 1000, "--fallback-sample-files",
          "FASTINTENT_FALLBACK_SAMPLE_FILES", std::to_string(sample.max_files), "1..1000");
  if (c.max_length) {
    Require(*c.max_length >= 2, "--max-length", "FASTINTENT_MAX_LENGTH", std::to_string(*c.max_length), ">= 2");
  }
  Require(c.request_timeout_ms >= 1, "--request-timeout-ms", "FASTINTENT_REQUEST_TIMEOUT_MS",
          std::to_string(c.request_timeout_ms), ">= 1");
  Require(c.log_level == "debug" || c.log_level == "info" || c.log_level == "warn" || c.log_level == "error",
          "--log-level", "FASTINTENT_LOG_LEVEL", "'" + c.log_level + "'", "debug, info, warn or error");
}

}  // namespace fastintent::serve
