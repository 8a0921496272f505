#pragma once
// The service behind the HTTP front: routes, the classify endpoint, readiness and drain state, reload. Owns the
// models (ModelRegistry) and the metrics; knows nothing of sockets (the transport is http_server.h). Lifecycle:
// the transport binds and serves while another thread runs LoadModels() (until it finishes, /ready and classify
// answer 503 not_ready); BeginDrain() turns /ready to 503 draining; DrainModels() after the transport stopped
// finishes every queued text.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api_error.h"
#include "fallback_sample.h"
#include "fastintent/serve/server.h"
#include "http_message.h"
#include "model_slot.h"
#include "serve_metrics.h"

namespace fastintent::serve {

// The endpoint a request path names, as metrics and the fallback sample label it: a fixed path ("/v1/classify"),
// "/models/{model}/predict" for any model's TEI route, or "other" (so unknown paths cannot grow the label set).
std::string EndpointLabel(const std::string& path);

class HttpService final : public HttpHandler {
 public:
  HttpService(ServeConfig config, ModelLoader loader);
  ~HttpService() override;

  ServeMetrics& metrics() { return metrics_; }
  HttpHandler& probe_handler() { return probe_; }

  void LoadModels();   // throws fastintent::Error: a model that fails to load stops the start
  void BeginDrain();   // /ready answers 503 draining from now on
  void DrainModels();  // after the transport stopped: finishes every queued text and stops the batchers
  // Reloads one model (or all when `name` is empty) from its directory; the old version serves until
  // the new one is warm; a broken new version is refused (throws ApiError 409) and the old one stays.
  nlohmann::json Reload(const std::string& name);

  HandlerResult Handle(HttpRequest& request) override;
  void Record(const HttpRequest& request, const HttpResponse& response) override;

 private:
  // The probe listener's routes: /health, /ready, /metrics.
  class ProbeHandler final : public HttpHandler {
   public:
    explicit ProbeHandler(HttpService& service) : service_(service) {}
    HandlerResult Handle(HttpRequest& request) override;
    void Record(const HttpRequest& request, const HttpResponse& response) override;

   private:
    HttpService& service_;
  };

  HandlerResult Route(HttpRequest& request);
  HttpResponse Health() const;
  HttpResponse Ready() const;
  HttpResponse Metrics() const;
  HttpResponse StaticDocument(const HttpRequest& request, std::string_view body, const char* content_type);
  // What an inference endpoint (/v1/classify, /predict) hands to RunInference: texts for one model, how to treat a
  // text over the model's token limit, and how to render the answer and errors.
  struct InferenceCall {
    std::vector<std::string> texts;
    std::vector<std::optional<std::string>> seconds;  // empty, or one per text: a pair's second text
    std::string model;                                // empty: the default model
    std::size_t top_k = 1;                            // 0: every label
    bool truncate = true;  // cut a text over the token limit; else refuse the request with too_long
    std::function<ApiError(std::size_t index, std::size_t max_length)> too_long;
    // The 200 body, from the predictions and each text's truncation flag (on an HTTP thread).
    std::function<std::string(const ModelSlot& slot, const std::vector<runtime::Prediction>& predictions,
                              const std::vector<bool>& truncated)>
        render;
    ErrorRenderer errors = ErrorResponse;
    std::chrono::steady_clock::time_point started;  // when the handler began (Server-Timing total, the timeout)
  };
  // Refusals before the body is parsed: not ready, not JSON, every model's queue full (throw ApiError).
  void AdmitInference(const HttpRequest& request);
  // Tokenizes on this HTTP thread, hands the texts to the model's batcher, counts the predictions; answers at once
  // when the request ran inline, else with a DeferredResponse.
  HandlerResult RunInference(HttpRequest& request, InferenceCall call);
  HandlerResult HandleClassify(HttpRequest& request);
  // TEI's POST /predict on the default model, or on `model` for POST /models/{model}/predict.
  HandlerResult HandlePredict(HttpRequest& request, std::string model = "");
  HttpResponse HandleModels() const;
  HttpResponse HandleReload(const HttpRequest& request);
  // Any exception -> its answer, rendered by `errors`.
  HttpResponse Fault(const HttpRequest& request, std::exception_ptr error, ErrorRenderer errors = ErrorResponse) const;

  const ServeConfig config_;
  const ModelLoader loader_;
  const std::string admin_token_;   // from --admin-token or --admin-token-file
  const std::size_t http_threads_;  // HttpThreads(config)
  ServeMetrics metrics_;
  std::unique_ptr<FallbackSampler> fallback_sample_;  // --fallback-sample; null when off
  ModelRegistry models_;
  ProbeHandler probe_{*this};
  const std::string openapi_;  // the committed spec with this instance's limits and model names
  std::atomic<bool> ready_{false};
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> classify_in_flight_{0};  // from the start of handling to the answer (or abandonment)
  std::mutex reload_mutex_;                         // one reload at a time
};

}  // namespace fastintent::serve
