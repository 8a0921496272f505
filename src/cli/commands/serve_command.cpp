// `fastintent serve`: the HTTP service. This file is the one place where flags and their FASTINTENT_*
// environment variables are defined (a flag given on the command line wins over its variable); the
// values land in serve::ServeConfig, which the library validates. docs/api.md mirrors this list.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "command_registry.h"
#include "fastintent/common/error.h"
#include "fastintent/serve/server.h"

namespace fastintent::cli {
namespace {

// "NAME=DIR", or "DIR" (the name is the directory's name).
serve::ModelSpec ParseModelSpec(const std::string& value) {
  const auto equals = value.find('=');
  if (equals == std::string::npos) {
    std::filesystem::path dir(value);
    std::string name = dir.filename().string();
    if (name.empty()) name = dir.parent_path().filename().string();
    return {name, dir};
  }
  return {value.substr(0, equals), std::filesystem::path(value.substr(equals + 1))};
}

int RunServe(int argc, char** argv) {
  serve::ServeConfig config;
  std::vector<std::string> models;
  std::string long_text = "truncate";
  std::size_t max_length = 0;
  float fallback_threshold = -1.0f;
  double fallback_sample_mb = 10;
  bool fallback_sample_unmasked = false;

  CLI::App app{
      "Serve intent classification over HTTP (JSON API, web page, metrics). Every flag also reads "
      "the FASTINTENT_* variable shown.",
      "fastintent serve"};
  app.option_defaults()->always_capture_default();
  app.add_option("--model,-m", models,
                 "Model directory to serve, as NAME=DIR or DIR (name = directory name); repeat for several. "
                 "The variable takes a comma-separated list")
      ->envname("FASTINTENT_MODEL")
      ->delimiter(',')
      ->required();
  app.add_option("--default-model", config.default_model, "Model used when a request names none (default: the first)")
      ->envname("FASTINTENT_DEFAULT_MODEL");
  app.add_option("--host", config.host, "Address to bind")->envname("FASTINTENT_HOST");
  app.add_option("--port,-p", config.port, "Port to bind (0: any free port, printed in the log)")
      ->envname("FASTINTENT_PORT");
  app.add_flag("--quantized", config.quantized, "Serve model_quantized.onnx (INT8) instead of model.onnx")
      ->envname("FASTINTENT_QUANTIZED");
  app.add_option("--probe-port", config.probe_port,
                 "Second listener for GET /health, /ready and /metrics only, on its own thread, so probes answer "
                 "whatever the main port's clients do (0: none)")
      ->envname("FASTINTENT_PROBE_PORT");
  app.add_option("--http-threads", config.http_threads,
                 "Threads that run every connection's reads, writes and handlers (parse, tokenize, answer); a "
                 "connection holds none while it waits for its client or for the batcher")
      ->envname("FASTINTENT_HTTP_THREADS");
  app.add_option("--inference-threads", config.batcher.inference_threads,
                 "Batches that run at once per model (each on its own thread)")
      ->envname("FASTINTENT_INFERENCE_THREADS");
  app.add_option("--intra-op-threads", config.intra_op_threads, "ONNX Runtime threads inside one batch")
      ->envname("FASTINTENT_INTRA_OP_THREADS");
  app.add_flag("--ort-attention", config.ort_attention,
               "Run the attention cores in ONNX Runtime's own ops instead of fastintent's native kernel (the model "
               "file is the same either way; for comparison and as a fallback)")
      ->envname("FASTINTENT_ORT_ATTENTION");
  app.add_option("--max-batch-tokens", config.batcher.max_batch_tokens,
                 "A batch closes when texts x longest text would pass this many tokens")
      ->envname("FASTINTENT_MAX_BATCH_TOKENS");
  app.add_option("--max-batch-texts", config.batcher.max_batch_texts, "A batch closes at this many texts")
      ->envname("FASTINTENT_MAX_BATCH_TEXTS");
  app.add_option("--max-padding-waste", config.batcher.max_padding_waste,
                 "Split a batch into model calls so that padding adds at most this share to its real tokens "
                 "(-1: one call per batch)")
      ->envname("FASTINTENT_MAX_PADDING_WASTE");
  app.add_option("--inline-when-idle", config.batcher.run_inline_when_idle,
                 "When the queue is empty and an inference slot is free, run the request on its HTTP thread "
                 "(no hand-off to the batcher's threads); false: every request goes through the queue")
      ->envname("FASTINTENT_INLINE_WHEN_IDLE");
  app.add_option("--queue-size", config.batcher.queue_capacity,
                 "Texts that may wait for a batch per model; a request that does not fit gets 429")
      ->envname("FASTINTENT_QUEUE_SIZE");
  app.add_option("--max-texts", config.limits.max_texts, "Texts per request (more: 422)")
      ->envname("FASTINTENT_MAX_TEXTS");
  app.add_option("--max-text-chars", config.limits.max_text_chars, "Unicode characters per text (more: 422)")
      ->envname("FASTINTENT_MAX_TEXT_CHARS");
  app.add_option("--max-body-bytes", config.http.max_body_bytes,
                 "Request body limit in bytes as sent, whatever the framing (Content-Length or chunked; more: 413)")
      ->envname("FASTINTENT_MAX_BODY_BYTES");
  app.add_option("--max-inflated-body-bytes", config.http.max_inflated_body_bytes,
                 "A gzip or deflate request body may inflate to this many bytes (more: 413); 0: compressed bodies "
                 "get 415")
      ->envname("FASTINTENT_MAX_INFLATED_BODY_BYTES");
  app.add_option("--max-header-bytes", config.http.max_header_bytes,
                 "Request line and header fields together (more: 431, or 414 when the request line alone is over)")
      ->envname("FASTINTENT_MAX_HEADER_BYTES");
  app.add_option("--max-header-line-bytes", config.http.max_header_line_bytes,
                 "One header field, name and value (more: 431)")
      ->envname("FASTINTENT_MAX_HEADER_LINE_BYTES");
  app.add_option("--max-header-count", config.http.max_header_count,
                 "Header fields per request, chunked trailers included (more: 431)")
      ->envname("FASTINTENT_MAX_HEADER_COUNT");
  app.add_option("--max-url-bytes", config.http.max_url_bytes, "Request target (path and query) in bytes (more: 414)")
      ->envname("FASTINTENT_MAX_URL_BYTES");
  app.add_option("--max-connections", config.http.max_connections,
                 "Open connections on --port; one more is refused at once (503, closed), not queued")
      ->envname("FASTINTENT_MAX_CONNECTIONS");
  app.add_option("--header-timeout-ms", config.http.header_timeout_ms,
                 "The whole request head must arrive within this from its first byte (a new connection: from the "
                 "connect); else 408 and the connection closes")
      ->envname("FASTINTENT_HEADER_TIMEOUT_MS");
  app.add_option("--body-timeout-ms", config.http.body_timeout_ms,
                 "The whole request body must arrive within this from the end of its head; else 408 and the "
                 "connection closes")
      ->envname("FASTINTENT_BODY_TIMEOUT_MS");
  app.add_option("--write-timeout-ms", config.http.write_timeout_ms,
                 "A client must take a whole response within this; else the connection closes")
      ->envname("FASTINTENT_WRITE_TIMEOUT_MS");
  app.add_option("--top-k", config.default_top_k, "Entries in 'top' when a request gives no top_k")
      ->envname("FASTINTENT_TOP_K");
  app.add_option(
         "--fallback-threshold", fallback_threshold,
         "Top score under this sets \"fallback\": true; -1 = the model's config.json fallback_threshold, else 0")
      ->envname("FASTINTENT_FALLBACK_THRESHOLD");
  app.add_option("--fallback-sample", config.fallback_sample.file,
                 "Write texts the fallback policy hands to an operator to this JSON-lines file, for relabelling "
                 "(opt-in; e-mails, links and numbers of 3+ digits masked; rate-limited; rotated)")
      ->envname("FASTINTENT_FALLBACK_SAMPLE");
  app.add_option("--fallback-sample-per-minute", config.fallback_sample.per_minute,
                 "Texts written to --fallback-sample at most, per minute on average")
      ->envname("FASTINTENT_FALLBACK_SAMPLE_PER_MINUTE");
  app.add_option("--fallback-sample-max-mb", fallback_sample_mb,
                 "Rotate --fallback-sample when it would pass this size (MiB)")
      ->envname("FASTINTENT_FALLBACK_SAMPLE_MAX_MB");
  app.add_option("--fallback-sample-files", config.fallback_sample.max_files,
                 "Rotated sample files kept beside the current one (NAME.1.EXT is the newest)")
      ->envname("FASTINTENT_FALLBACK_SAMPLE_FILES");
  app.add_flag("--fallback-sample-unmasked", fallback_sample_unmasked,
               "Write texts as sent, without masking personal data")
      ->envname("FASTINTENT_FALLBACK_SAMPLE_UNMASKED");
  app.add_option("--max-length", max_length, "Token limit per text; 0 = the model's own")
      ->envname("FASTINTENT_MAX_LENGTH");
  app.add_option("--long-text", long_text, "Texts over the token limit: truncate (and flag) or reject (422)")
      ->envname("FASTINTENT_LONG_TEXT")
      ->check(CLI::IsMember({"truncate", "reject"}));
  app.add_option("--request-timeout-ms", config.request_timeout_ms,
                 "An admitted request not answered by then gets 503 timeout")
      ->envname("FASTINTENT_REQUEST_TIMEOUT_MS");
  app.add_option("--keep-alive-seconds", config.http.keep_alive_seconds, "Idle keep-alive connections close after this")
      ->envname("FASTINTENT_KEEP_ALIVE_SECONDS");
  app.add_option("--drain-delay", config.drain_delay_seconds,
                 "Seconds after SIGTERM during which /ready answers 503 but the listener still accepts (every "
                 "response closes its connection), so load balancers take the server out before it stops "
                 "accepting; SIGINT skips it")
      ->envname("FASTINTENT_DRAIN_DELAY");
  app.add_option("--shutdown-timeout", config.shutdown_timeout_seconds,
                 "Seconds after SIGTERM when connections still open are closed and the process exits")
      ->envname("FASTINTENT_SHUTDOWN_TIMEOUT");
  app.add_option("--tls-cert", config.tls_cert,
                 "PEM certificate chain: --port speaks HTTPS only (TLS 1.2+, OpenSSL); needs --tls-key")
      ->envname("FASTINTENT_TLS_CERT");
  app.add_option("--tls-key", config.tls_key, "PEM private key of --tls-cert")->envname("FASTINTENT_TLS_KEY");
  app.add_option("--admin-token", config.admin_token,
                 "Token for POST /v1/admin/reload (Authorization: Bearer TOKEN); empty disables the endpoint. It "
                 "shows in ps: prefer --admin-token-file")
      ->envname("FASTINTENT_ADMIN_TOKEN");
  app.add_option("--admin-token-file", config.admin_token_file,
                 "File whose first line is the admin token (read at start; not together with --admin-token)")
      ->envname("FASTINTENT_ADMIN_TOKEN_FILE");
  app.add_option("--log-level", config.log_level, "debug, info, warn or error")->envname("FASTINTENT_LOG_LEVEL");
  app.add_flag("--log-requests", config.log_requests, "Log one JSON line per request")
      ->envname("FASTINTENT_LOG_REQUESTS");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  for (const auto& value : models) config.models.push_back(ParseModelSpec(value));
  config.long_text = long_text == "reject" ? serve::LongTextPolicy::kReject : serve::LongTextPolicy::kTruncate;
  if (max_length > 0) config.max_length = max_length;
  if (fallback_threshold != -1.0f) config.fallback_threshold = fallback_threshold;
  config.fallback_sample.mask_personal_data = !fallback_sample_unmasked;
  config.fallback_sample.max_file_bytes =
      fallback_sample_mb > 0 ? static_cast<std::size_t>(fallback_sample_mb * 1048576.0) : 0;
  try {
    serve::ValidateServeConfig(config);
  } catch (const InvalidInput& e) {
    std::fprintf(stderr, "fastintent serve: %s\n", e.what());
    return kExitUsage;
  }
  return serve::RunServer(config, serve::DefaultModelLoader());
}

}  // namespace

FASTINTENT_COMMAND("serve", "Serve the classifier over HTTP: JSON API, web page, metrics, dynamic batching", RunServe);

}  // namespace fastintent::cli
