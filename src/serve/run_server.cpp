// Process lifecycle: signals are blocked in every thread and taken by one thread with sigwait, so no
// handler runs in signal context. SIGTERM/SIGINT: stop accepting, answer everything admitted, exit 0.
// SIGHUP: reload every model (a refused version leaves the old one serving).
#include <pthread.h>
#include <signal.h>

#include <csignal>
#include <thread>

#include "fastintent/common/error.h"
#include "fastintent/serve/server.h"
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

}  // namespace

int RunServer(const ServeConfig& config, const ModelLoader& loader) {
  ValidateServeConfig(config);
  ConfigureJsonLog(config.log_level);
  // Block before any thread starts so every thread inherits the mask.
  const sigset_t signals = ServerSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  HttpService service(config, loader);
  service.Bind();  // bind first: /health answers and /ready says 503 not_ready while models load

  std::thread signal_thread([&service, signals] {
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
      if (received != SIGUSR1) LogEvent(LogLevel::kInfo, "draining", {{"signal", received}});
      service.Stop();
      return;
    }
  });
  std::exception_ptr load_error;
  std::thread load_thread([&service, &load_error] {
    try {
      service.LoadModels();
      LogEvent(LogLevel::kInfo, "ready");
    } catch (...) {
      load_error = std::current_exception();
      service.Stop();  // a model that cannot load stops the start
    }
  });

  service.Serve();  // returns after Stop(), once every connection's current request has been answered
  load_thread.join();
  // If the listener ended without a signal, wake the signal thread so it can finish.
  pthread_kill(signal_thread.native_handle(), SIGUSR1);
  signal_thread.join();
  service.DrainModels();
  if (load_error) std::rethrow_exception(load_error);
  LogEvent(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace fastintent::serve
