#pragma once
// Prometheus metrics of the service (text format at GET /metrics). Every method is thread-safe.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace fastintent::serve {

class ServeMetrics {
 public:
  ServeMetrics();
  ~ServeMetrics();
  ServeMetrics(const ServeMetrics&) = delete;
  ServeMetrics& operator=(const ServeMetrics&) = delete;

  void CountRequest(const std::string& endpoint, int status);
  // stage: tokenize | queue | inference | total
  void ObserveStage(const std::string& stage, std::chrono::nanoseconds duration);
  void ObserveBatch(const std::string& model, std::size_t texts, std::size_t padded_tokens);
  void SetQueueDepth(const std::string& model, std::size_t texts);
  void CountDropped(const std::string& model, std::size_t texts);
  void CountReload(const std::string& model, bool ok);
  // One answered text: its top-1 label, whether the model's fallback policy handed it over, whether it was cut to
  // the token limit. DeclareModel makes a model's counters exist at 0 (every label), so rates start at load.
  void CountPrediction(const std::string& model, const std::string& label, bool fallback, bool truncated);
  // A handed-off text offered to the fallback sample file: written, or refused by its rate limit.
  void CountFallbackSample(const std::string& model, bool written);
  void DeclareModel(const std::string& model, const std::vector<std::string>& labels);
  // The HTTP front: a request or connection refused by a limit (reason: body_too_large, header_timeout, ...).
  // DeclareRejection makes a reason's counter exist at 0, so a dashboard sees it before the first refusal.
  void CountRejection(const std::string& reason);
  void DeclareRejection(const std::string& reason);
  // Open connections per listener ("main" or "probe").
  void SetOpenConnections(const std::string& listener, std::size_t connections);

  std::string Render() const;  // Prometheus text exposition format 0.0.4

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fastintent::serve
