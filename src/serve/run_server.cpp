// Process lifecycle: signals are blocked in every thread we start and taken by one thread with sigwait, so
// none of our threads runs a handler. SIGTERM/SIGINT: stop accepting, answer everything admitted, exit 0.
// SIGHUP: reload every model (a refused version leaves the old one serving).
// Threads a library started before RunServer (OpenBLAS starts its pool from a constructor, before main) keep
// these signals unblocked; the kernel may deliver a process signal to one of them, where the default action
// of SIGHUP or SIGTERM would end the process at once. So a handler forwards each one to the signal thread.
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
  g_signal_thread = signal_thread.native_handle();
  SetServerSignalAction(ForwardToSignalThread);
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
  // If the listener ended without a signal, wake the signal thread so it can finish. From here on a stray
  // signal is ignored (we are stopping anyway): the handler must not target a thread that has ended.
  SetServerSignalAction(SIG_IGN);
  pthread_kill(signal_thread.native_handle(), SIGUSR1);
  signal_thread.join();
  service.DrainModels();
  if (load_error) std::rethrow_exception(load_error);
  LogEvent(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace fastintent::serve
