#include "serve_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace fastintent::serve {

struct ServeMetrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests = prometheus::BuildCounter()
                                                          .Name("fastintent_http_requests_total")
                                                          .Help("HTTP requests answered, by endpoint and status code")
                                                          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& stages =
      prometheus::BuildHistogram()
          .Name("fastintent_stage_duration_seconds")
          .Help("Per-text time in each stage of POST /v1/classify: tokenize, queue, inference; total per request")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& batch_texts = prometheus::BuildHistogram()
                                                               .Name("fastintent_batch_size_texts")
                                                               .Help("Texts per inference batch")
                                                               .Register(*registry);
  prometheus::Family<prometheus::Histogram>& batch_tokens = prometheus::BuildHistogram()
                                                                .Name("fastintent_batch_padded_tokens")
                                                                .Help("Padded tokens per inference batch")
                                                                .Register(*registry);
  prometheus::Family<prometheus::Gauge>& queue_depth = prometheus::BuildGauge()
                                                           .Name("fastintent_queue_depth_texts")
                                                           .Help("Texts admitted and waiting for a batch")
                                                           .Register(*registry);
  prometheus::Family<prometheus::Counter>& dropped = prometheus::BuildCounter()
                                                         .Name("fastintent_dropped_texts_total")
                                                         .Help("Queued texts dropped because their client went away")
                                                         .Register(*registry);
  prometheus::Family<prometheus::Counter>& reloads = prometheus::BuildCounter()
                                                         .Name("fastintent_model_reloads_total")
                                                         .Help("Model reloads by result (ok, refused)")
                                                         .Register(*registry);
  prometheus::Family<prometheus::Counter>& predictions =
      prometheus::BuildCounter()
          .Name("fastintent_predictions_total")
          .Help("Texts answered by /v1/classify and /predict, by model and top-1 label")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& fallbacks =
      prometheus::BuildCounter()
          .Name("fastintent_fallback_texts_total")
          .Help("Answered texts the model's fallback policy hands to an operator, by model")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& fallback_samples =
      prometheus::BuildCounter()
          .Name("fastintent_fallback_samples_total")
          .Help("Handed-off texts offered to --fallback-sample, by model and outcome (written, rate_limited)")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& truncations =
      prometheus::BuildCounter()
          .Name("fastintent_truncated_texts_total")
          .Help("Answered texts cut to the model's token limit, by model")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& rejections =
      prometheus::BuildCounter()
          .Name("fastintent_http_rejections_total")
          .Help("Requests and connections the HTTP front refused by a limit or deadline, by reason")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& connections = prometheus::BuildGauge()
                                                           .Name("fastintent_http_open_connections")
                                                           .Help("Open HTTP connections per listener (main, probe)")
                                                           .Register(*registry);

  static prometheus::Histogram::BucketBoundaries StageBuckets() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};
  }
  static prometheus::Histogram::BucketBoundaries BatchBuckets() { return {1, 2, 4, 8, 16, 32, 64, 128}; }
  static prometheus::Histogram::BucketBoundaries TokenBuckets() {
    return {16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384};
  }
};

ServeMetrics::ServeMetrics() : impl_(std::make_unique<Impl>()) {}
ServeMetrics::~ServeMetrics() = default;

void ServeMetrics::CountRequest(const std::string& endpoint, int status) {
  impl_->requests.Add({{"endpoint", endpoint}, {"status", std::to_string(status)}}).Increment();
}

void ServeMetrics::ObserveStage(const std::string& stage, std::chrono::nanoseconds duration) {
  impl_->stages.Add({{"stage", stage}}, Impl::StageBuckets()).Observe(std::chrono::duration<double>(duration).count());
}

void ServeMetrics::ObserveBatch(const std::string& model, std::size_t texts, std::size_t padded_tokens) {
  impl_->batch_texts.Add({{"model", model}}, Impl::BatchBuckets()).Observe(static_cast<double>(texts));
  impl_->batch_tokens.Add({{"model", model}}, Impl::TokenBuckets()).Observe(static_cast<double>(padded_tokens));
}

void ServeMetrics::SetQueueDepth(const std::string& model, std::size_t texts) {
  impl_->queue_depth.Add({{"model", model}}).Set(static_cast<double>(texts));
}

void ServeMetrics::CountDropped(const std::string& model, std::size_t texts) {
  impl_->dropped.Add({{"model", model}}).Increment(static_cast<double>(texts));
}

void ServeMetrics::CountReload(const std::string& model, bool ok) {
  impl_->reloads.Add({{"model", model}, {"result", ok ? "ok" : "refused"}}).Increment();
}

void ServeMetrics::CountPrediction(const std::string& model, const std::string& label, bool fallback, bool truncated) {
  impl_->predictions.Add({{"model", model}, {"label", label}}).Increment();
  if (fallback) impl_->fallbacks.Add({{"model", model}}).Increment();
  if (truncated) impl_->truncations.Add({{"model", model}}).Increment();
}

void ServeMetrics::CountFallbackSample(const std::string& model, bool written) {
  impl_->fallback_samples.Add({{"model", model}, {"outcome", written ? "written" : "rate_limited"}}).Increment();
}

void ServeMetrics::DeclareModel(const std::string& model, const std::vector<std::string>& labels) {
  for (const auto& label : labels) impl_->predictions.Add({{"model", model}, {"label", label}});
  impl_->fallbacks.Add({{"model", model}});
  impl_->truncations.Add({{"model", model}});
}

void ServeMetrics::CountRejection(const std::string& reason) {
  impl_->rejections.Add({{"reason", reason}}).Increment();
}

void ServeMetrics::DeclareRejection(const std::string& reason) { impl_->rejections.Add({{"reason", reason}}); }

void ServeMetrics::SetOpenConnections(const std::string& listener, std::size_t connections) {
  impl_->connections.Add({{"listener", listener}}).Set(static_cast<double>(connections));
}

std::string ServeMetrics::Render() const { return prometheus::TextSerializer().Serialize(impl_->registry->Collect()); }

}  // namespace fastintent::serve
