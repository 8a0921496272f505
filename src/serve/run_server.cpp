// Process lifecycle: signals are blocked in every thread we start and taken by one thread with sigwait, so
// none of our threads runs a handler.
// SIGTERM: /ready turns 503 at once; the listener keeps accepting for --drain-delay (balancers notice the 503)
// while every response closes its connection; then it closes, idle connections with it; admitted requests are
// answered; whatever is still open --shutdown-timeout after the signal is closed; exit 0. SIGINT: the same without
// the drain delay (an interactive stop). SIGHUP: reload every model (a refused version leaves the old one serving).
// A listener that fails for good stops the server the same way and the exit code is 1.
// Threads a library started before RunServer (OpenBLAS starts its pool from a constructor, before main) keep
// these signals unblocked; the kernel may deliver a process signal to one of them, where the default action
// of SIGHUP or SIGTERM would end the process at once. So a handler forwards each one to the signal thread.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "fastintent/common/error.h"
#include "fastintent/serve/server.h"
#include "http_server.h"
#include "http_service.h"
#include "json_log.h"

namespace fastintent::serve {
namespace {

sigset_t ServerSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);  // internal: wakes the signal thread when the server stops by itself
  return set;
}

pthread_t g_signal_thread;  // written before the handler is installed, read only by the handler

extern "C" void ForwardToSignalThread(int signal_number) {
  pthread_kill(g_signal_thread, signal_number);  // async-signal-safe; pending there until sigwait takes it
}

// Installs `handler` (a function, SIG_IGN) for every server signal; SA_RESTART keeps a foreign thread's
// interrupted system calls going.
void SetServerSignalAction(void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigfillset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (const int signal_number : {SIGTERM, SIGINT, SIGHUP, SIGUSR1}) sigaction(signal_number, &action, nullptr);
}

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

// Each connection is a file descriptor: raise the soft limit to the hard one, then make sure --max-connections
// (plus the probe listener's, plus room for model files and libraries) fits, so the limit, not EMFILE, decides.
void CheckDescriptorLimit(const ServeConfig& config) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  // The main port's connections, the probe port's (twice: evicted ones close while new ones open) and 64 spare.
  constexpr rlim_t kOther = 2 * kProbeConnections + 64;
  const rlim_t needed = config.http.max_connections + kOther;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    throw InvalidInput("--max-connections (FASTINTENT_MAX_CONNECTIONS): got " +
                       std::to_string(config.http.max_connections) + ", but the process may open only " +
                       std::to_string(limit.rlim_cur) + " files (ulimit -n); expected at most " +
                       std::to_string(limit.rlim_cur > kOther ? limit.rlim_cur - kOther : 0) + ", or raise the limit");
  }
}

HttpServerOptions TransportOptions(const ServeConfig& config) {
  HttpServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.probe_port = config.probe_port;
  options.threads = HttpThreads(config);
  options.limits = config.http;
  options.tls_cert = config.tls_cert;
  options.tls_key = config.tls_key;
  options.shutdown_timeout = Millis(config.shutdown_timeout_seconds);
  return options;
}

}  // namespace

int RunServer(const ServeConfig& config, const ModelLoader& loader) {
  ValidateServeConfig(config);
  ConfigureJsonLog(config.log_level);
  CheckDescriptorLimit(config);
  // Block before any thread starts so every thread inherits the mask.
  const sigset_t signals = ServerSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  HttpService service(config, loader);
  HttpServer server(TransportOptions(config), service, service.probe_handler(), service.metrics());
  const auto stop = [&service, &server, &config](double drain_delay_seconds) {
    service.BeginDrain();  // /ready answers 503 from now on
    server.Drain(Millis(drain_delay_seconds),
                 std::chrono::steady_clock::now() + Millis(config.shutdown_timeout_seconds));
  };
  // Bind first: /health answers and /ready says 503 not_ready while models load.
  const int port = server.Bind();
  nlohmann::json listening = {
      {"host", config.host}, {"port", port}, {"tls", !config.tls_cert.empty()}, {"http_threads", HttpThreads(config)}};
  if (config.probe_port > 0) listening["probe_port"] = server.probe_port();
  LogEvent(LogLevel::kInfo, "listening", listening);

  std::thread signal_thread([&service, &stop, &config, signals] {
    for (;;) {
      int received = 0;
      if (sigwait(&signals, &received) != 0) continue;
      if (received == SIGHUP) {
        LogEvent(LogLevel::kInfo, "sighup_reload");
        try {
          service.Reload("");
        } catch (const std::exception& e) {
          LogEvent(LogLevel::kError, "sighup_reload_failed", {{"reason", e.what()}});
        }
        continue;
      }
      if (received == SIGUSR1) return;  // the server stopped by itself
      const double delay = received == SIGINT ? 0.0 : config.drain_delay_seconds;
      LogEvent(
          LogLevel::kInfo, "draining",
          {{"signal", received}, {"drain_delay_s", delay}, {"shutdown_timeout_s", config.shutdown_timeout_seconds}});
      stop(delay);
    }
  });
  g_signal_thread = signal_thread.native_handle();
  SetServerSignalAction(ForwardToSignalThread);
  server.Start([&service] { service.BeginDrain(); });
  std::exception_ptr load_error;
  std::thread load_thread([&service, &stop, &load_error] {
    try {
      service.LoadModels();
      LogEvent(LogLevel::kInfo, "ready");
    } catch (...) {
      load_error = std::current_exception();
      stop(0.0);  // a model that cannot load stops the start
    }
  });

  const int code = server.Wait();  // every connection has closed (or was closed at the shutdown deadline)
  load_thread.join();
  // Wake the signal thread so it can finish. From here on a stray signal is ignored (we are stopping anyway):
  // the handler must not target a thread that has ended.
  SetServerSignalAction(SIG_IGN);
  pthread_kill(signal_thread.native_handle(), SIGUSR1);
  signal_thread.join();
  service.DrainModels();  // before the transport is destroyed: a finishing batch still posts to its connection
  if (load_error) std::rethrow_exception(load_error);
  LogEvent(LogLevel::kInfo, "stopped", {{"exit_code", code}});
  return code;
}

}  // namespace fastintent::serve
