// The inference endpoints' shared path (RunInference): tokenize on this HTTP thread, hand the texts to the model's
// batcher, and answer with results and timings — at once when the request ran inline, else from a DeferredResponse
// that the connection completes when the batcher is done (it also watches for the client leaving and for the request
// timeout). POST /v1/classify is here; POST /predict (TEI's shape) is in predict_endpoint.cpp.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>

#include "classify_request.h"
#include "http_service.h"
#include "json_log.h"

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

nlohmann::json LabelScores(const std::vector<runtime::LabelScore>& entries) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& entry : entries) out.push_back({{"label", entry.label}, {"score", entry.score}});
  return out;
}

ApiError QueueFull(const ModelSlot& slot) {
  return ApiError::Overloaded("the queue is full (" + std::to_string(slot.batcher->options().queue_capacity) +
                              " texts, --queue-size); retry after the Retry-After seconds");
}

// A text pair, or 422 for a model without a pair encoding (the runtime says so with InvalidInput).
runtime::PreparedText PreparePair(const ModelSlot& slot, const std::string& first, const std::string& second) {
  try {
    return slot.classifier->PreparePair(first, second);
  } catch (const InvalidInput& e) {
    throw ApiError::InvalidText("pairs_unsupported", e.what());
  }
}

// True when no model's queue has room for even one text: the request would be refused whatever it holds.
bool EveryQueueFull(const std::vector<std::shared_ptr<ModelSlot>>& slots) {
  for (const auto& slot : slots) {
    if (slot->batcher->MayAdmit(1)) return false;
  }
  return !slots.empty();
}

// Counts the classify requests in flight (from the start of their handling until their answer or abandonment).
class InFlight {
 public:
  explicit InFlight(std::atomic<std::size_t>& count) : count_(count), others_(count.fetch_add(1)) {}
  ~InFlight() { count_.fetch_sub(1); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  std::size_t others() const { return others_; }  // in flight when this one started

 private:
  std::atomic<std::size_t>& count_;
  const std::size_t others_;
};

// Everything the answer needs once the batcher is done.
struct InferenceState {
  explicit InferenceState(std::atomic<std::size_t>& count) : in_flight(count) {}
  InFlight in_flight;
  std::shared_ptr<ModelSlot> slot;
  std::shared_ptr<PendingRequest> pending;
  std::vector<bool> truncated;
  std::vector<std::string> texts;  // the request's (first) texts, for the fallback sample
  std::chrono::nanoseconds tokenize_time{0};
  Clock::time_point started;
};

}  // namespace

void HttpService::AdmitInference(const HttpRequest& request) {
  // While draining, requests that still arrive on open connections are answered: the batchers run until
  // the transport has stopped, so nothing admitted is lost.
  if (!ready_) throw ApiError::NotReady("models are loading and warming up; retry when GET /ready answers 200");
  const std::string content_type(request.Header("Content-Type"));
  if (!IsJsonContentType(content_type)) {
    throw ApiError::UnsupportedMediaType("Content-Type: got '" + content_type + "', expected application/json");
  }
  // Under overload most requests are refused: refuse before parsing and validating the body when no model can
  // take a text, and before tokenizing when the named model cannot take this many, so the CPU goes to admitted
  // requests.
  if (const auto slots = models_.All(); EveryQueueFull(slots)) throw QueueFull(*slots.front());
}

HandlerResult HttpService::HandleClassify(HttpRequest& request) {
  const auto started = Clock::now();
  AdmitInference(request);
  ClassifyRequest parsed = ParseClassifyRequest(request.body, config_.limits);
  InferenceCall call;
  call.texts = std::move(parsed.texts);
  call.model = parsed.model.value_or("");
  call.top_k = parsed.top_k.value_or(config_.default_top_k);
  call.truncate = config_.long_text == LongTextPolicy::kTruncate;
  call.too_long = [](std::size_t index, std::size_t max_length) {
    return ApiError::InvalidText("text_too_long", "text " + std::to_string(index) + " is longer than " +
                                                      std::to_string(max_length) +
                                                      " tokens; shorten it or start the server with --long-text "
                                                      "truncate");
  };
  call.render = [](const ModelSlot& slot, const std::vector<runtime::Prediction>& predictions,
                   const std::vector<bool>& truncated) {
    nlohmann::json results = nlohmann::json::array();
    const bool multi_label = slot.classifier->info().multi_label;
    for (std::size_t i = 0; i < predictions.size(); ++i) {
      const auto& prediction = predictions[i];
      nlohmann::json result{{"label", prediction.label},
                            {"score", prediction.score},
                            {"top", LabelScores(prediction.top)},
                            {"fallback", prediction.fallback},
                            {"truncated", truncated[i]}};
      if (multi_label) result["labels"] = LabelScores(prediction.labels);
      results.push_back(std::move(result));
    }
    return nlohmann::json{{"model", slot.name}, {"results", std::move(results)}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  call.started = started;
  return RunInference(request, std::move(call));
}

HandlerResult HttpService::RunInference(HttpRequest& request, InferenceCall call) {
  auto state = std::make_shared<InferenceState>(classify_in_flight_);
  state->started = call.started;
  const std::size_t count = call.texts.size();
  state->truncated.assign(count, false);

  // The batcher may run a request on this thread when its queue is empty and a slot is free (--inline-when-idle):
  // it saves the hand-offs at low load. But a model call blocks this HTTP thread and the connections it serves, so
  // it is allowed only while no other inference request is in flight (and never with a single HTTP thread); under
  // load every request goes through the queue and the HTTP threads keep reading and answering.
  const bool may_run_inline = state->in_flight.others() == 0 && http_threads_ > 1;
  // A reload may stop the resolved slot's batcher between lookup and submit; then take the new slot.
  for (int attempt = 0; attempt < 3 && !state->pending; ++attempt) {
    auto& slot = state->slot;
    slot = models_.Find(call.model);
    if (!slot) {
      throw ApiError::InvalidText("unknown_model",
                                  "field 'model': got '" + call.model + "', expected one of: " + models_.Names());
    }
    if (!slot->batcher->MayAdmit(count)) throw QueueFull(*slot);
    const std::size_t top_k = call.top_k == 0 ? slot->classifier->info().labels.size() : call.top_k;
    const auto tokenize_start = Clock::now();
    std::vector<runtime::PreparedText> tokens;
    tokens.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto text_start = Clock::now();
      tokens.push_back(i < call.seconds.size() && call.seconds[i] ? PreparePair(*slot, call.texts[i], *call.seconds[i])
                                                                  : slot->classifier->Prepare(call.texts[i]));
      metrics_.ObserveStage("tokenize", Clock::now() - text_start);
      state->truncated[i] = tokens.back().truncated;
      if (state->truncated[i] && !call.truncate) throw call.too_long(i, slot->classifier->info().max_length);
    }
    state->tokenize_time = Clock::now() - tokenize_start;
    auto candidate = std::make_shared<PendingRequest>(count);
    switch (slot->batcher->Submit(candidate, std::move(tokens), top_k, may_run_inline)) {
      case SubmitStatus::kAdmitted:
        state->pending = std::move(candidate);
        break;
      case SubmitStatus::kQueueFull:
        throw QueueFull(*slot);
      case SubmitStatus::kStopped:
        break;
    }
  }
  if (!state->pending) throw ApiError::Draining("the model is being replaced or the server is shutting down; retry");
  state->texts = std::move(call.texts);

  const ErrorRenderer errors = call.errors;
  // Builds the answer once every text is done (on an HTTP thread).
  auto finish = [this, state, render = std::move(call.render), errors, request_id = request.request_id,
                 method = request.method, path = request.path, endpoint = EndpointLabel(request.path)] {
    try {
      const auto& predictions = state->pending->results();  // rethrows a failed batch: a model fault, so 500
      const auto& timings = state->pending->timings();
      std::chrono::nanoseconds queue_time{0};
      std::chrono::nanoseconds inference_time{0};
      std::vector<bool> truncated(predictions.size(), false);
      for (std::size_t i = 0; i < predictions.size(); ++i) {
        truncated[i] = state->truncated[i] || predictions[i].truncated;
        metrics_.CountPrediction(state->slot->name, predictions[i].label, predictions[i].fallback, truncated[i]);
        if (predictions[i].fallback && fallback_sample_) {
          const auto outcome = fallback_sample_->Offer({state->slot->name, state->slot->classifier->info().version,
                                                        endpoint, request_id, state->texts[i], &predictions[i]});
          metrics_.CountFallbackSample(state->slot->name, outcome == SampleOutcome::kWritten);
        }
        queue_time = std::max(queue_time, timings[i].queue);
        inference_time = std::max(inference_time, timings[i].inference);
        metrics_.ObserveStage("queue", timings[i].queue);
        metrics_.ObserveStage("inference", timings[i].inference);
      }
      HttpResponse response;
      response.content_type = "application/json";
      response.body = render(*state->slot, predictions, truncated);
      const auto total = Clock::now() - state->started;
      metrics_.ObserveStage("total", total);
      response.headers.push_back(
          {"Server-Timing", ServerTiming(state->tokenize_time, queue_time, inference_time, total)});
      response.headers.push_back({"X-Model-Version", state->slot->classifier->info().version});
      return response;
    } catch (...) {
      HttpRequest context;
      context.method = method;
      context.path = path;
      context.request_id = request_id;
      return Fault(context, std::current_exception(), errors);
    }
  };
  if (state->pending->done()) return finish();  // it ran inline on this thread

  DeferredResponse deferred;
  deferred.pending = state->pending;
  deferred.deadline = state->started + std::chrono::milliseconds(config_.request_timeout_ms);
  deferred.finish = std::move(finish);
  deferred.timed_out = [timeout_ms = config_.request_timeout_ms, errors, request_id = request.request_id] {
    return errors(
        {503, "timeout",
         "not answered within " + std::to_string(timeout_ms) + " ms (--request-timeout-ms); the server is overloaded",
         ""},
        request_id);
  };
  deferred.client_gone = [] {
    HttpResponse response;
    response.status = 499;  // recorded in the metrics only: the client closed the connection before the answer
    return response;
  };
  return deferred;
}

}  // namespace fastintent::serve
