// POST /predict: Hugging Face text-embeddings-inference's classification route, so TEI clients can switch. The
// request and answer shapes and the error body follow TEI's published OpenAPI (tests/serve/tei_schema/); the work
// goes through the same path as /v1/classify (RunInference): limits, batcher, metrics. POST /predict serves the
// default model (TEI serves one); POST /models/{model}/predict any served model, so a TEI client pointed at the base
// URL http://host:port/models/{model} reaches it unchanged.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "classify_request.h"
#include "http_service.h"

namespace fastintent::serve {
namespace {

// Every label of one prediction, best first: {"label", "score"} with the probability, or the logit for raw_scores.
nlohmann::json TeiScores(const runtime::Prediction& prediction, bool raw_scores) {
  std::vector<runtime::LabelScore> entries = prediction.top;
  const auto score = [raw_scores](const runtime::LabelScore& entry) { return raw_scores ? entry.logit : entry.score; };
  std::stable_sort(
      entries.begin(), entries.end(),
      [&score](const runtime::LabelScore& a, const runtime::LabelScore& b) { return score(a) > score(b); });
  nlohmann::json out = nlohmann::json::array();
  for (const auto& entry : entries) out.push_back({{"label", entry.label}, {"score", score(entry)}});
  return out;
}

}  // namespace

HandlerResult HttpService::HandlePredict(HttpRequest& request, std::string model) {
  try {
    const auto started = std::chrono::steady_clock::now();
    AdmitInference(request);  // first: while models load, every route answers 503 not_ready, not 404
    if (!model.empty() && !models_.Find(model)) {
      throw ApiError::NotFound(request.method + " " + request.path + ": no model '" + model +
                               "' is served here; served: " + models_.Names());
    }
    PredictRequest parsed = ParsePredictRequest(request.body, config_.limits);
    InferenceCall call;
    call.started = started;
    call.model = std::move(model);
    call.texts = std::move(parsed.texts);
    call.seconds = std::move(parsed.seconds);
    call.top_k = 0;  // TEI answers every label
    call.errors = TeiErrorResponse;
    // TEI's "truncate" (absent or null: this server's --long-text policy). The runtime cuts a long text where the
    // model's tokenizer files say (the right end unless tokenizer.json saves "Left") and takes no direction per call
    // (Classifier::Prepare has none), so "Left" is refused for a text that would be cut, never faked.
    const bool truncate = parsed.truncate.value_or(config_.long_text == LongTextPolicy::kTruncate);
    call.truncate = truncate && !parsed.truncate_left;
    if (truncate) {
      call.too_long = [](std::size_t index, std::size_t max_length) {
        return ApiError::InvalidText(
            "left_truncation_unsupported",
            "inputs[" + std::to_string(index) + "] is longer than " + std::to_string(max_length) +
                " tokens and truncation_direction is Left: this server cuts long texts as the model's "
                "tokenizer files say (the right end by default), not per request; send "
                "truncation_direction Right or a shorter text");
      };
    } else {
      call.too_long = [](std::size_t index, std::size_t max_length) {
        return ApiError(413, "text_too_long",
                        "inputs[" + std::to_string(index) + "] must have less than " + std::to_string(max_length) +
                            " tokens; send truncate: true to cut it");
      };
    }
    call.render = [raw_scores = parsed.raw_scores, batch = parsed.batch](
                      const ModelSlot&, const std::vector<runtime::Prediction>& predictions, const std::vector<bool>&) {
      nlohmann::json body = nlohmann::json::array();
      for (const auto& prediction : predictions) body.push_back(TeiScores(prediction, raw_scores));
      if (!batch) body = std::move(body.at(0));
      return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    return RunInference(request, std::move(call));
  } catch (...) {
    return Fault(request, std::current_exception(), TeiErrorResponse);
  }
}

}  // namespace fastintent::serve
