#pragma once
// The HTTP front's transport: listeners, threads and the orderly stop, over Boost.Asio/Beast (no Beast type in
// this header). Connections own no thread: `threads` threads run every connection's reads, writes and handlers,
// so slow clients cost a connection slot and a little memory, never a thread. The main listener refuses
// connections over --max-connections at once; a probe listener (--probe-port) serves the probe handler on its
// own thread, so /health and /ready answer whatever the main port's clients do.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "fastintent/serve/serve_config.h"
#include "http_message.h"
#include "serve_metrics.h"

namespace fastintent::serve {

// The probe listener's connections. A probe connects, asks at once and leaves, so when they are all open a new one
// closes the oldest (a slow client, by then) instead of being refused; closing ones wait for their close, so the
// probe port holds at most twice this many sockets.
constexpr std::size_t kProbeConnections = 256;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;     // 0: any free port
  int probe_port = 0;  // 0: no probe listener
  std::size_t threads = 4;
  HttpLimits limits;
  std::string tls_cert;  // PEM files; both set: the main listener speaks TLS only
  std::string tls_key;
  std::chrono::milliseconds shutdown_timeout{30000};  // used when a listener fails
};

class HttpServer {
 public:
  // `handler` serves the main port, `probe_handler` the probe port; both must outlive the server.
  HttpServer(HttpServerOptions options, HttpHandler& handler, HttpHandler& probe_handler, ServeMetrics& metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listeners; returns the main port (the bound one when --port is 0). Throws IoError naming the
  // address and the flag to change; InvalidInput for a certificate or key that OpenSSL refuses.
  int Bind();
  int probe_port() const;
  // Starts accepting on the server's threads. `on_listener_failure` is called once if a listener fails for good
  // (the server then stops as after Drain with no delay, and Wait returns 1).
  void Start(std::function<void()> on_listener_failure);
  // Orderly stop, from any thread (the first call counts): from now on every response closes its connection;
  // after `drain_delay` the main listener closes and idle connections with it; busy ones close after their answer;
  // whatever is still open at `deadline` is closed. Then the probe listener closes and Wait returns.
  void Drain(std::chrono::milliseconds drain_delay, std::chrono::steady_clock::time_point deadline);
  // Blocks until the server has stopped; 0, or 1 when a listener failed.
  int Wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fastintent::serve
