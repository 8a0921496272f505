// POST /v1/classify: validate, tokenize on this HTTP thread, hand the texts to the model's batcher, wait
// (watching for the client to leave and for the request timeout), answer with results and timings.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "classify_request.h"
#include "client_watch.h"
#include "http_service.h"

namespace fastintent::serve {
namespace {

using Clock = std::chrono::steady_clock;

double Millis(std::chrono::nanoseconds duration) { return std::chrono::duration<double, std::milli>(duration).count(); }

std::string ServerTiming(std::chrono::nanoseconds tokenize, std::chrono::nanoseconds queue,
                         std::chrono::nanoseconds inference, std::chrono::nanoseconds total) {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "tokenize;dur=%.3f, queue;dur=%.3f, inference;dur=%.3f, total;dur=%.3f",
                Millis(tokenize), Millis(queue), Millis(inference), Millis(total));
  return buffer;
}

ApiError QueueFull(const ModelSlot& slot) {
  return ApiError::Overloaded("the queue is full (" + std::to_string(slot.batcher->options().queue_capacity) +
                              " texts, --queue-size); retry after the Retry-After seconds");
}

// True when no model's queue has room for even one text: the request would be refused whatever it holds.
bool EveryQueueFull(const std::vector<std::shared_ptr<ModelSlot>>& slots) {
  for (const auto& slot : slots) {
    if (slot->batcher->MayAdmit(1)) return false;
  }
  return !slots.empty();
}

std::string ModelNames(const std::vector<std::shared_ptr<ModelSlot>>& slots) {
  std::string names;
  for (const auto& slot : slots) names += (names.empty() ? "" : ", ") + slot->name;
  return names;
}

}  // namespace

void HttpService::HandleClassify(const httplib::Request& request, httplib::Response& response) {
  const auto started = Clock::now();
  // While draining, requests that still arrive on open connections are answered: the batchers run until
  // the listener has stopped, so nothing admitted is lost.
  if (!ready_) throw ApiError::NotReady("models are loading and warming up; retry when GET /ready answers 200");
  const std::string content_type = request.get_header_value("Content-Type");
  if (!IsJsonContentType(content_type)) {
    throw ApiError::UnsupportedMediaType("Content-Type: got '" + content_type + "', expected application/json");
  }
  // Under overload most requests are refused: refuse before parsing and validating the body when no model can
  // take a text, and before tokenizing when the named model cannot take this many, so the CPU goes to admitted
  // requests.
  if (const auto slots = models_.All(); EveryQueueFull(slots)) throw QueueFull(*slots.front());
  const ClassifyRequest parsed = ParseClassifyRequest(request.body, config_.limits);
  const std::size_t top_k = parsed.top_k.value_or(config_.default_top_k);
  const std::size_t count = parsed.texts.size();

  std::shared_ptr<ModelSlot> slot;
  std::shared_ptr<PendingRequest> pending;
  std::vector<bool> truncated(count, false);
  std::chrono::nanoseconds tokenize_time{0};
  // A reload may stop the resolved slot's batcher between lookup and submit; then take the new slot.
  for (int attempt = 0; attempt < 3 && !pending; ++attempt) {
    slot = models_.Find(parsed.model.value_or(""));
    if (!slot) {
      throw ApiError::InvalidText("unknown_model", "field 'model': got '" + parsed.model.value_or("") +
                                                       "', expected one of: " + ModelNames(models_.All()));
    }
    if (!slot->batcher->MayAdmit(count)) throw QueueFull(*slot);
    const auto tokenize_start = Clock::now();
    std::vector<runtime::PreparedText> tokens;
    tokens.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto text_start = Clock::now();
      tokens.push_back(slot->classifier->Prepare(parsed.texts[i]));
      metrics_.ObserveStage("tokenize", Clock::now() - text_start);
      truncated[i] = tokens.back().truncated;
      if (truncated[i] && config_.long_text == LongTextPolicy::kReject) {
        throw ApiError::InvalidText("text_too_long",
                                    "text " + std::to_string(i) + " is longer than " +
                                        std::to_string(slot->classifier->info().max_length) +
                                        " tokens; shorten it or start the server with --long-text truncate");
      }
    }
    tokenize_time = Clock::now() - tokenize_start;
    auto candidate = std::make_shared<PendingRequest>(count);
    switch (slot->batcher->Submit(candidate, std::move(tokens), top_k)) {
      case SubmitStatus::kAdmitted:
        pending = std::move(candidate);
        break;
      case SubmitStatus::kQueueFull:
        throw QueueFull(*slot);
      case SubmitStatus::kStopped:
        break;
    }
  }
  if (!pending) throw ApiError::Draining("the model is being replaced or the server is shutting down; retry");

  const auto deadline = started + std::chrono::milliseconds(config_.request_timeout_ms);
  ClientWatch watch(request.remote_addr, request.remote_port, request.local_port);
  while (!pending->WaitUntil(std::min(deadline, Clock::now() + std::chrono::milliseconds(25)))) {
    if (watch.ClientGone()) {
      pending->Cancel();
      throw ApiError(499, "client_closed_request", "the client closed the connection before the answer");
    }
    if (Clock::now() >= deadline) {
      pending->Cancel();
      throw ApiError(503, "timeout",
                     "not answered within " + std::to_string(config_.request_timeout_ms) +
                         " ms (--request-timeout-ms); the server is overloaded");
    }
  }
  const auto& predictions = pending->results();  // rethrows a failed batch
  const auto& timings = pending->timings();

  std::chrono::nanoseconds queue_time{0};
  std::chrono::nanoseconds inference_time{0};
  nlohmann::json results = nlohmann::json::array();
  const bool multi_label = slot->classifier->info().multi_label;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& prediction = predictions[i];
    nlohmann::json top = nlohmann::json::array();
    for (const auto& entry : prediction.top) top.push_back({{"label", entry.label}, {"score", entry.score}});
    nlohmann::json result{{"label", prediction.label},
                          {"score", prediction.score},
                          {"top", std::move(top)},
                          {"fallback", prediction.fallback},
                          {"truncated", truncated[i] || prediction.truncated}};
    if (multi_label) {
      nlohmann::json labels = nlohmann::json::array();
      for (const auto& entry : prediction.labels) labels.push_back({{"label", entry.label}, {"score", entry.score}});
      result["labels"] = std::move(labels);
    }
    results.push_back(std::move(result));
    queue_time = std::max(queue_time, timings[i].queue);
    inference_time = std::max(inference_time, timings[i].inference);
    metrics_.ObserveStage("queue", timings[i].queue);
    metrics_.ObserveStage("inference", timings[i].inference);
  }
  const auto total = Clock::now() - started;
  metrics_.ObserveStage("total", total);
  response.set_header("Server-Timing", ServerTiming(tokenize_time, queue_time, inference_time, total));
  response.set_header("X-Model-Version", slot->classifier->info().version);
  response.status = 200;
  response.set_content(nlohmann::json{{"model", slot->name}, {"results", std::move(results)}}.dump(
                           -1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/json");
}

}  // namespace fastintent::serve
