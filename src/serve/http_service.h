#pragma once
// The HTTP front: routes, the classify endpoint, readiness and drain state, reload. Owns the models
// (ModelRegistry) and the metrics. Lifecycle: Bind(), then Serve() (blocks) while another thread runs
// LoadModels() (until it finishes /ready and classify answer 503 not_ready); Stop() from the signal
// thread makes Serve() return after every request in flight has been answered.
#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "api_error.h"
#include "fastintent/serve/server.h"
#include "model_slot.h"
#include "serve_metrics.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace fastintent::serve {

class HttpService {
 public:
  HttpService(ServeConfig config, ModelLoader loader);
  ~HttpService();

  void LoadModels();   // throws fastintent::Error: a model that fails to load stops the start
                       // (the caller then calls Stop())
  int Bind();          // returns the bound port (config port, or a free one when it is 0); throws IoError
  void Serve();        // blocks until Stop()
  void Stop();         // begins draining: /ready -> 503, the listener closes, in-flight requests finish
  void DrainModels();  // after Serve() returned: finishes every queued text and stops the batchers
  // Reloads one model (or all when `name` is empty) from its directory; the old version serves until
  // the new one is warm; a broken new version is refused (throws ApiError 409) and the old one stays.
  nlohmann::json Reload(const std::string& name);

 private:
  void Route();
  void HandleClassify(const httplib::Request& request, httplib::Response& response);
  void HandleModels(httplib::Response& response) const;
  void HandleReload(const httplib::Request& request, httplib::Response& response);
  void HandleError(const httplib::Request& request, httplib::Response& response);
  void LogRequest(const httplib::Request& request, const httplib::Response& response);

  const ServeConfig config_;
  const ModelLoader loader_;
  ServeMetrics metrics_;
  ModelRegistry models_;
  const std::string openapi_;  // the committed spec with this instance's limits and model names
  std::unique_ptr<httplib::Server> server_;
  int listening_socket_ = -1;  // set by the socket-options hook during Bind()
  std::atomic<bool> ready_{false};
  std::atomic<bool> draining_{false};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> serve_returned_{false};
  std::mutex reload_mutex_;  // one reload at a time
};

// Writes `error` as the JSON error body with its status (and Retry-After for 429/503).
void WriteError(httplib::Response& response, const HttpError& error);

}  // namespace fastintent::serve
