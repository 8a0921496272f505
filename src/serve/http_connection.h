#pragma once
// One client connection of the HTTP front (Boost.Beast parser over Asio; plain TCP or TLS). A connection owns no
// thread: it reads with a deadline for each stage — the TLS handshake and the request head (--header-timeout-ms),
// the whole body (--body-timeout-ms), the idle time between keep-alive requests (--keep-alive-seconds), the
// answer's write (--write-timeout-ms) — hands the complete request to the HttpHandler and, when the answer comes
// from the batcher, waits for its completion callback while it watches the socket for the client leaving. Every
// limit refusal is answered with its status, counted, and ends the connection.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <memory>
#include <string>

#include "fastintent/serve/serve_config.h"
#include "http_message.h"
#include "serve_metrics.h"

namespace fastintent::serve {

class ConnectionBase;

// What the connections of one listener share. Lives as long as the listener (longer than its connections' I/O).
struct ListenerContext {
  std::string name;  // "main" or "probe": the metrics label
  HttpLimits limits;
  HttpHandler* handler = nullptr;
  ServeMetrics* metrics = nullptr;
  boost::asio::ssl::context* tls = nullptr;     // null: plain HTTP
  const std::atomic<bool>* draining = nullptr;  // every response from now on closes its connection
  // Called once by each connection when its socket has closed (from the connection's strand).
  std::function<void(ConnectionBase*)> on_closed;
};

class ConnectionBase : public std::enable_shared_from_this<ConnectionBase> {
 public:
  virtual ~ConnectionBase() = default;
  virtual void Start() = 0;
  // The listener closed (drain): an idle connection closes now, a busy one after its answer. Any thread.
  virtual void OnListenerClosed() = 0;
  // The shutdown deadline passed: close now, whatever the connection was doing. Any thread.
  virtual void ForceClose() = 0;
};

// A connection over a freshly accepted socket (whose executor is its own strand).
std::shared_ptr<ConnectionBase> MakeConnection(boost::asio::ip::tcp::socket socket, const ListenerContext& context);

}  // namespace fastintent::serve
