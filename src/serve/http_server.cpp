#include "http_server.h"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "fastintent/common/error.h"
#include "http_connection.h"
#include "json_log.h"

namespace fastintent::serve {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// The probe listener serves short requests from probes that send them at once: short deadlines, so slow clients
// there cannot keep the probes out for long (and kProbeConnections, http_server.h).
constexpr std::size_t kProbeDeadlineMs = 2000;
constexpr std::chrono::milliseconds kAcceptRetry{100};
constexpr std::chrono::milliseconds kForceCloseGrace{250};

// What a connection over the limit is told before it is closed (best effort: the socket is new, so the few
// bytes fit its send buffer; a TLS listener just closes).
constexpr std::string_view kTooManyConnections =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 119\r\n"
    "Retry-After: 1\r\nConnection: close\r\n\r\n"
    "{\"error\":{\"code\":\"too_many_connections\",\"message\":\"the server has --max-connections connections open; "
    "retry\"}}\n";

// accept(2) errors that concern one connection, not the listener: try the next one.
bool OneConnectionFailed(const error_code& ec) {
  switch (ec.value()) {
    case ECONNABORTED:
    case EPROTO:
    case EPERM:
    case EINTR:
    case EAGAIN:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
    case ETIMEDOUT:
      return ec.category() == boost::system::system_category();
    default:
      return false;
  }
}

// Out of file descriptors or memory: the listener is fine, accepting must pause.
bool OutOfResources(const error_code& ec) {
  return ec.category() == boost::system::system_category() &&
         (ec.value() == EMFILE || ec.value() == ENFILE || ec.value() == ENOBUFS || ec.value() == ENOMEM);
}

class Listener {
 public:
  // Over `max_connections` a new connection is refused at once; with `evict_oldest` the oldest open connection is
  // closed instead to make room (the probe listener: a probe connects, asks and leaves, so its oldest connections
  // are slow clients, and the newest is most likely a probe).
  Listener(asio::io_context& io, ListenerContext context, std::size_t max_connections, bool evict_oldest = false)
      : io_(io),
        strand_(asio::make_strand(io)),
        acceptor_(strand_),
        retry_timer_(strand_),
        context_(std::move(context)),
        max_connections_(max_connections),
        evict_oldest_(evict_oldest) {
    context_.on_closed = [this](ConnectionBase* connection) { Closed(connection); };
    context_.metrics->SetOpenConnections(context_.name, 0);
  }

  int Bind(const std::string& host, int port) {
    error_code ec;
    tcp::resolver resolver(strand_);
    const auto endpoints = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
    if (ec || endpoints.empty()) throw IoError("cannot resolve '" + host + "': " + ec.message());
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    // The kernel's maximum backlog: a burst of new connections waits in the queue instead of losing SYNs.
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw IoError("cannot listen on " + host + ":" + std::to_string(port) + " (" + ec.message() + ")");
    }
    return acceptor_.local_endpoint().port();
  }

  void Start(std::function<void(const std::string&)> on_failure, std::function<void()> on_empty) {
    on_failure_ = std::move(on_failure);
    on_empty_ = std::move(on_empty);
    asio::post(strand_, [this] { Accept(); });
  }

  // Stops accepting; idle connections close now, the others after their answer. Any thread.
  void Close() {
    asio::post(strand_, [this] {
      error_code ignored;
      acceptor_.close(ignored);
      retry_timer_.cancel();
      for (const auto& connection : Snapshot(/*mark_closed=*/true)) connection->OnListenerClosed();
      MaybeEmpty();
    });
  }

  void ForceCloseAll() {
    Close();
    for (const auto& connection : Snapshot(false)) connection->ForceClose();
  }

  std::size_t open() const {
    std::lock_guard lock(mutex_);
    return connections_.size();
  }

 private:
  std::vector<std::shared_ptr<ConnectionBase>> Snapshot(bool mark_closed) {
    std::vector<std::shared_ptr<ConnectionBase>> alive;
    std::lock_guard lock(mutex_);
    if (mark_closed) closed_ = true;
    for (const auto& [raw, entry] : connections_) {
      if (auto connection = entry.second.lock()) alive.push_back(std::move(connection));
    }
    return alive;
  }

  void Accept() {
    acceptor_.async_accept(asio::make_strand(io_),
                           [this](const error_code& ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
  }

  void OnAccept(const error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      if (OneConnectionFailed(ec)) {
        Accept();
      } else if (OutOfResources(ec)) {
        context_.metrics->CountRejection("accept_out_of_resources");
        const auto now = std::chrono::steady_clock::now();
        if (now - last_resource_warning_ > std::chrono::seconds(1)) {
          last_resource_warning_ = now;
          LogEvent(LogLevel::kWarn, "accept_paused",
                   {{"listener", context_.name}, {"reason", ec.message()}, {"open_connections", open()}});
        }
        retry_timer_.expires_after(kAcceptRetry);
        retry_timer_.async_wait([this](const error_code& error) {
          if (!error && acceptor_.is_open()) Accept();
        });
      } else {
        LogEvent(LogLevel::kError, "listener_failed", {{"listener", context_.name}, {"reason", ec.message()}});
        error_code ignored;
        acceptor_.close(ignored);
        if (on_failure_) on_failure_(ec.message());
      }
      return;
    }
    std::shared_ptr<ConnectionBase> connection;
    std::shared_ptr<ConnectionBase> evicted;
    {
      std::lock_guard lock(mutex_);
      if (!closed_ && Counted() >= max_connections_ && evict_oldest_) evicted = EvictOldest();
      if (!closed_ && Counted() < max_connections_) {
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        connection = MakeConnection(std::move(socket), context_);
        connections_.emplace(connection.get(), std::make_pair(++accepted_, std::weak_ptr(connection)));
        context_.metrics->SetOpenConnections(context_.name, connections_.size());
      }
    }
    if (evicted) {
      context_.metrics->CountRejection(context_.name + "_evicted");
      evicted->ForceClose();
    }
    if (connection) {
      connection->Start();
    } else {
      Refuse(socket);
    }
    Accept();
  }

  // Called with mutex_ held: the open connection accepted first that is not already being evicted (null when
  // there is none); it is marked as being evicted and no longer counts towards the limit.
  std::shared_ptr<ConnectionBase> EvictOldest() {
    std::shared_ptr<ConnectionBase> oldest;
    std::uint64_t* first = nullptr;
    for (auto& [raw, entry] : connections_) {
      if (entry.first == kEvicted || (first && entry.first >= *first)) continue;
      if (auto alive = entry.second.lock()) {
        oldest = std::move(alive);
        first = &entry.first;
      }
    }
    if (first) {
      *first = kEvicted;
      ++evicting_;
    }
    return oldest;
  }

  // Called with mutex_ held: open connections, less those being evicted.
  std::size_t Counted() const { return connections_.size() - evicting_; }

  // Over --max-connections: refused at once, not queued.
  void Refuse(tcp::socket& socket) {
    context_.metrics->CountRejection(context_.name == "probe" ? "probe_connections" : "max_connections");
    if (context_.tls == nullptr) {
      [[maybe_unused]] const auto sent = ::send(socket.native_handle(), kTooManyConnections.data(),
                                                kTooManyConnections.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    error_code ignored;
    socket.close(ignored);
  }

  void Closed(ConnectionBase* connection) {
    {
      std::lock_guard lock(mutex_);
      const auto found = connections_.find(connection);
      if (found != connections_.end()) {
        if (found->second.first == kEvicted) --evicting_;
        connections_.erase(found);
      }
      context_.metrics->SetOpenConnections(context_.name, connections_.size());
    }
    MaybeEmpty();
  }

  void MaybeEmpty() {
    {
      std::lock_guard lock(mutex_);
      if (!closed_ || !connections_.empty() || emptied_) return;
      emptied_ = true;
    }
    if (on_empty_) on_empty_();
  }

  asio::io_context& io_;
  asio::strand<asio::io_context::executor_type> strand_;  // the acceptor's handlers
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  ListenerContext context_;
  const std::size_t max_connections_;
  const bool evict_oldest_;
  static constexpr std::uint64_t kEvicted = 0;  // in place of the order of acceptance (which starts at 1)
  std::uint64_t accepted_ = 0;                  // under mutex_: the order of acceptance
  std::size_t evicting_ = 0;                    // under mutex_: connections marked kEvicted
  std::function<void(const std::string&)> on_failure_;
  std::function<void()> on_empty_;
  std::chrono::steady_clock::time_point last_resource_warning_{};
  mutable std::mutex mutex_;
  // Open connections, each with its place in the order of acceptance.
  std::unordered_map<ConnectionBase*, std::pair<std::uint64_t, std::weak_ptr<ConnectionBase>>> connections_;
  bool closed_ = false;
  bool emptied_ = false;
};

asio::ssl::context MakeTlsContext(const std::string& cert, const std::string& key) {
  asio::ssl::context tls(asio::ssl::context::tls_server);
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                  asio::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  // No renegotiation (a client could make the server redo handshakes at will) and no TLS compression.
  SSL_CTX_set_options(tls.native_handle(), SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  error_code ec;
  tls.use_certificate_chain_file(cert, ec);
  if (ec) throw InvalidInput("--tls-cert (FASTINTENT_TLS_CERT): '" + cert + "': " + ec.message());
  tls.use_private_key_file(key, asio::ssl::context::pem, ec);
  if (ec) throw InvalidInput("--tls-key (FASTINTENT_TLS_KEY): '" + key + "': " + ec.message());
  if (SSL_CTX_check_private_key(tls.native_handle()) != 1) {
    throw InvalidInput("--tls-key (FASTINTENT_TLS_KEY): '" + key + "' does not match the certificate '" + cert + "'");
  }
  return tls;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler& handler, HttpHandler& probe_handler, ServeMetrics& metrics)
      : options_(std::move(options)),
        io_(static_cast<int>(options_.threads)),
        probe_io_(1),
        control_(asio::make_strand(io_)),
        drain_timer_(control_),
        deadline_timer_(control_) {
    if (!options_.tls_cert.empty()) tls_.emplace(MakeTlsContext(options_.tls_cert, options_.tls_key));
    for (const char* reason :
         {"body_too_large", "inflated_body_too_large", "header_too_large", "header_line_too_long", "too_many_headers",
          "url_too_long", "length_required", "content_encoding", "transfer_encoding", "bad_request", "header_timeout",
          "body_timeout", "write_timeout", "max_connections", "ranges", "probe_connections", "probe_evicted"}) {
      metrics.DeclareRejection(reason);
    }
    ListenerContext context;
    context.name = "main";
    context.limits = options_.limits;
    context.handler = &handler;
    context.metrics = &metrics;
    context.tls = tls_ ? &*tls_ : nullptr;
    context.draining = &draining_;
    main_.emplace(io_, context, options_.limits.max_connections);
    if (options_.probe_port > 0) {
      context.name = "probe";
      context.handler = &probe_handler;
      context.tls = nullptr;
      context.limits.header_timeout_ms = std::min(context.limits.header_timeout_ms, kProbeDeadlineMs);
      context.limits.body_timeout_ms = std::min(context.limits.body_timeout_ms, kProbeDeadlineMs);
      context.limits.write_timeout_ms = std::min(context.limits.write_timeout_ms, kProbeDeadlineMs);
      context.limits.keep_alive_seconds = std::min(context.limits.keep_alive_seconds, 2);
      probe_.emplace(probe_io_, context, kProbeConnections, /*evict_oldest=*/true);
    }
  }

  ~Impl() {
    Finish();
    Join();
  }

  int Bind() {
    const int port = main_->Bind(options_.host, options_.port);
    if (probe_) {
      probe_port_ = probe_->Bind(options_.host, options_.probe_port);
    }
    return port;
  }

  int probe_port() const { return probe_port_; }

  void Start(std::function<void()> on_listener_failure) {
    on_listener_failure_ = std::move(on_listener_failure);
    const auto failed = [this](const std::string&) { Fail(); };
    main_->Start(failed, [this] { Finish(); });
    if (probe_) probe_->Start(failed, [] {});
    for (std::size_t i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { io_.run(); });
    if (probe_) threads_.emplace_back([this] { probe_io_.run(); });
  }

  void Drain(std::chrono::milliseconds drain_delay, std::chrono::steady_clock::time_point deadline) {
    if (drain_started_.exchange(true)) return;
    draining_ = true;
    asio::post(control_, [this, drain_delay, deadline] {
      drain_timer_.expires_after(drain_delay);
      drain_timer_.async_wait([this](const error_code& ec) {
        if (!ec) main_->Close();
      });
      deadline_timer_.expires_at(deadline);
      deadline_timer_.async_wait([this](const error_code& ec) {
        if (ec) return;
        LogEvent(LogLevel::kWarn, "shutdown_timeout", {{"open_connections", main_->open()}});
        main_->ForceCloseAll();
        // Connections close on their own threads; a thread busy in a handler (a model call) finishes it first.
        deadline_timer_.expires_after(kForceCloseGrace);
        deadline_timer_.async_wait([this](const error_code&) { Finish(); });
      });
    });
  }

  int Wait() {
    Join();
    return exit_code_;
  }

 private:
  void Fail() {
    exit_code_ = 1;
    if (on_listener_failure_ && !failure_reported_.exchange(true)) on_listener_failure_();
    Drain(std::chrono::milliseconds(0), std::chrono::steady_clock::now() + options_.shutdown_timeout);
  }

  // Every main connection is closed (or the deadline passed): close the probe listener and stop the threads.
  void Finish() {
    if (finished_.exchange(true)) return;
    if (probe_) probe_->ForceCloseAll();
    io_.stop();
    probe_io_.stop();
  }

  void Join() {
    std::lock_guard lock(join_mutex_);
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  HttpServerOptions options_;
  asio::io_context io_;
  asio::io_context probe_io_;
  // Keep run() going while no connection is open.
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  asio::executor_work_guard<asio::io_context::executor_type> probe_work_{probe_io_.get_executor()};
  asio::strand<asio::io_context::executor_type> control_;  // drain timers
  asio::steady_timer drain_timer_;
  asio::steady_timer deadline_timer_;
  std::optional<asio::ssl::context> tls_;
  std::atomic<bool> draining_{false};
  std::atomic<bool> drain_started_{false};
  std::atomic<bool> finished_{false};
  std::atomic<bool> failure_reported_{false};
  std::atomic<int> exit_code_{0};
  std::function<void()> on_listener_failure_;
  std::optional<Listener> main_;
  std::optional<Listener> probe_;
  int probe_port_ = 0;
  std::mutex join_mutex_;
  std::vector<std::thread> threads_;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler& handler, HttpHandler& probe_handler,
                       ServeMetrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), handler, probe_handler, metrics)) {}
HttpServer::~HttpServer() = default;
int HttpServer::Bind() { return impl_->Bind(); }
int HttpServer::probe_port() const { return impl_->probe_port(); }
void HttpServer::Start(std::function<void()> on_listener_failure) { impl_->Start(std::move(on_listener_failure)); }
void HttpServer::Drain(std::chrono::milliseconds drain_delay, std::chrono::steady_clock::time_point deadline) {
  impl_->Drain(drain_delay, deadline);
}
int HttpServer::Wait() { return impl_->Wait(); }

}  // namespace fastintent::serve
