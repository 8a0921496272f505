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

// Limits and deadlines of the HTTP front: each holds whatever the framing (Content-Length, chunked, none) and
// each rejection is counted in /metrics (fastintent_http_rejections_total). Flags in serve_command.cpp.
struct HttpLimits {
  std::size_t max_body_bytes = 1 << 20;           // body bytes as sent (413)
  std::size_t max_inflated_body_bytes = 1 << 20;  // a gzip/deflate body after inflating (413); 0: such bodies get 415
  std::size_t max_header_bytes = 16384;           // request line and header fields together (431; 414 for the line)
  std::size_t max_header_line_bytes = 8192;       // one header field, name and value (431)
  std::size_t max_header_count = 100;             // header fields, trailers included (431)
  std::size_t max_url_bytes = 8192;               // the request target (414)
  std::size_t max_connections = 512;              // open connections on --port; more are refused at once (503)
  std::size_t header_timeout_ms = 10000;          // the whole request head, from its first byte (408)
  std::size_t body_timeout_ms = 30000;            // the whole body, from the end of the head (408)
  std::size_t write_timeout_ms = 10000;           // the client takes the whole response (else closed)
  int keep_alive_seconds = 5;                     // idle keep-alive connections close after this
};

// The opt-in sample of handed-off texts (src/serve/fallback_sample.h): off while file is empty.
struct FallbackSampleOptions {
  std::string file;                        // JSON lines; rotated to NAME.1.EXT ... NAME.{max_files}.EXT
  double per_minute = 60;                  // texts written at most, on average (bursts up to a tenth of it)
  std::size_t max_file_bytes = 10u << 20;  // rotate when the next line would pass this
  std::size_t max_files = 5;               // rotated files kept beside the current one
  bool mask_personal_data = true;          // e-mail addresses, links, numbers of 3+ digits (MaskPersonalData)
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
  int probe_port = 0;                     // > 0: a second listener that serves only /health, /ready, /metrics
  std::size_t http_threads = 0;           // threads running the HTTP event loop (parse, tokenize, answer; a
                                          // connection holds none while it waits); 0: one per CPU, at least 2
  int intra_op_threads = 1;               // ONNX Runtime threads per batch
  bool ort_attention = false;             // attention cores in ONNX Runtime's ops, not the native kernel
  std::optional<std::size_t> max_length;  // token limit override
  BatcherOptions batcher{2, 4096, 32, 256, true, 0.5};
  RequestLimits limits;
  HttpLimits http;
  std::size_t default_top_k = 1;
  std::optional<float> fallback_threshold;  // overrides config.json "fallback_threshold" (else 0 = never)
  FallbackSampleOptions fallback_sample;
  LongTextPolicy long_text = LongTextPolicy::kTruncate;
  std::size_t request_timeout_ms = 30000;  // admitted request not answered by then -> 503 timeout
  double drain_delay_seconds = 3;          // SIGTERM: /ready 503 at once, the listener keeps accepting this long
  double shutdown_timeout_seconds = 30;    // SIGTERM: connections still open this long after it are closed
  std::string tls_cert;                    // PEM certificate chain; with tls_key: --port speaks HTTPS only
  std::string tls_key;                     // PEM private key
  std::string admin_token;                 // empty: POST /v1/admin/reload answers 403
  std::string admin_token_file;            // the token's first line is read from here at start (not with admin_token)
  std::string log_level = "info";
  bool log_requests = false;  // one JSON line per request at info level
};

// The admin token from --admin-token-file: its first line without trailing blanks. False when the file cannot be
// read or that line is empty.
bool ReadAdminTokenFile(const std::filesystem::path& path, std::string& token);

// --http-threads as configured, or for 0 the CPUs this process may run on (sched_getaffinity), at least 2.
std::size_t HttpThreads(const ServeConfig& config);

// Throws fastintent::InvalidInput naming the flag, its environment variable, the value and what to change.
void ValidateServeConfig(const ServeConfig& config);

}  // namespace fastintent::serve
