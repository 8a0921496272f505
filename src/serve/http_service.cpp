#include "http_service.h"

#include <array>
#include <charconv>
#include <chrono>
#include <optional>
#include <string_view>

#include "classify_request.h"
#include "fastintent/common/error.h"
#include "json_log.h"
#include "web_resources.h"

namespace fastintent::serve {
namespace {

constexpr std::array<std::string_view, 9> kPaths = {
    "/",          "/openapi.json", "/health",  "/ready",          "/metrics",
    "/v1/models", "/v1/classify",  "/predict", "/v1/admin/reload"};
constexpr std::string_view kModelRoutePrefix = "/models/";
constexpr std::string_view kModelRouteSuffix = "/predict";
constexpr std::string_view kModelRouteLabel = "/models/{model}/predict";

// "/models/NAME/predict" -> NAME (not empty, no '/'); anything else -> nullopt.
std::optional<std::string> ModelRouteName(std::string_view path) {
  if (path.size() <= kModelRoutePrefix.size() + kModelRouteSuffix.size() || path.rfind(kModelRoutePrefix, 0) != 0 ||
      path.substr(path.size() - kModelRouteSuffix.size()) != kModelRouteSuffix) {
    return std::nullopt;
  }
  const auto name =
      path.substr(kModelRoutePrefix.size(), path.size() - kModelRoutePrefix.size() - kModelRouteSuffix.size());
  if (name.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(name);
}

std::string_view AllowedMethods(std::string_view path) {
  if (path == "/v1/classify" || path == "/predict" || path == "/v1/admin/reload" || ModelRouteName(path)) {
    return "POST";
  }
  return "GET, HEAD";
}

bool IsKnownPath(std::string_view path) { return EndpointLabel(std::string(path)) != "other"; }

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool SameSecret(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    difference |= static_cast<unsigned char>(g ^ expected[i]);
  }
  return difference == 0;
}

std::string AdminToken(const ServeConfig& config) {
  std::string token = config.admin_token;
  if (!config.admin_token_file.empty() && !ReadAdminTokenFile(config.admin_token_file, token)) {
    throw InvalidInput("--admin-token-file (FASTINTENT_ADMIN_TOKEN_FILE): cannot read a token from '" +
                       config.admin_token_file + "'");
  }
  return token;
}

// The committed spec, narrowed to this instance: live limits and the served model names, so a client
// (or schemathesis) generating valid requests from it gets 200s.
std::string ServedOpenApi(const ServeConfig& config) {
  auto spec = nlohmann::json::parse(OpenApiJson());
  auto& schemas = spec["components"]["schemas"];
  schemas["Text"]["maxLength"] = config.limits.max_text_chars;
  auto& properties = schemas["ClassifyRequest"]["properties"];
  properties["texts"]["maxItems"] = config.limits.max_texts;
  properties["top_k"]["maximum"] = config.limits.max_top_k;
  nlohmann::json names = nlohmann::json::array();
  for (const auto& model : config.models) names.push_back(model.name);
  properties["model"]["enum"] = names;
  for (auto& parameter : spec["paths"]["/models/{model}/predict"]["post"]["parameters"]) {
    if (parameter["name"] == "model") parameter["schema"]["enum"] = names;
  }
  for (auto& form : schemas["PredictInput"]["oneOf"]) {
    if (form.contains("maxItems")) form["maxItems"] = config.limits.max_texts;
  }
  return spec.dump(2);
}

HttpResponse Json(const nlohmann::json& body, int status = 200) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

// A single byte range of a document of `size` bytes (RFC 9110 14.1.2): "bytes=A-B", "bytes=A-", "bytes=-N".
struct ByteRange {
  enum class Kind { kWhole, kOne, kUnsatisfiable } kind = Kind::kWhole;
  std::size_t first = 0;
  std::size_t last = 0;  // inclusive
  bool refused = false;  // several ranges or a malformed header: answered with the whole document
};

ByteRange ParseRange(std::string_view header, std::size_t size) {
  ByteRange range;
  if (header.empty()) return range;
  header = TrimBlanks(header);
  if (header.substr(0, 6) != "bytes=" || header.find(',') != std::string_view::npos) {
    range.refused = true;  // one range or none: a multi-range request cannot multiply the answer
    return range;
  }
  const std::string_view spec = TrimBlanks(header.substr(6));
  const auto dash = spec.find('-');
  const auto number = [](std::string_view text, std::size_t& value) {
    const auto* end = text.data() + text.size();
    return !text.empty() && std::from_chars(text.data(), end, value).ptr == end;
  };
  std::size_t a = 0;
  std::size_t b = 0;
  const std::string_view left = dash == std::string_view::npos ? spec : spec.substr(0, dash);
  const std::string_view right = dash == std::string_view::npos ? std::string_view() : spec.substr(dash + 1);
  if (dash == std::string_view::npos || (left.empty() && !number(right, b)) || (!left.empty() && !number(left, a)) ||
      (!left.empty() && !right.empty() && (!number(right, b) || b < a))) {
    range.refused = true;
    return range;
  }
  if (left.empty()) {  // the last b bytes
    if (b == 0 || size == 0) {
      range.kind = ByteRange::Kind::kUnsatisfiable;
      return range;
    }
    range.kind = ByteRange::Kind::kOne;
    range.first = size - std::min(b, size);
    range.last = size - 1;
    return range;
  }
  if (a >= size) {
    range.kind = ByteRange::Kind::kUnsatisfiable;
    return range;
  }
  range.kind = ByteRange::Kind::kOne;
  range.first = a;
  range.last = right.empty() ? size - 1 : std::min(b, size - 1);
  return range;
}

}  // namespace

std::string EndpointLabel(const std::string& path) {
  for (const auto known : kPaths) {
    if (path == known) return std::string(known);
  }
  if (ModelRouteName(path)) return std::string(kModelRouteLabel);
  return "other";
}

HttpService::HttpService(ServeConfig config, ModelLoader loader)
    : config_(std::move(config)),
      loader_(std::move(loader)),
      admin_token_(AdminToken(config_)),
      http_threads_(HttpThreads(config_)),
      openapi_(ServedOpenApi(config_)) {
  if (!config_.fallback_sample.file.empty()) {
    fallback_sample_ = std::make_unique<FallbackSampler>(config_.fallback_sample);
  }
}

HttpService::~HttpService() = default;

void HttpService::LoadModels() {
  for (const auto& spec : config_.models) {
    const auto started = std::chrono::steady_clock::now();
    auto slot = LoadModelSlot(spec, config_, loader_, metrics_);
    const auto& info = slot->classifier->info();
    LogEvent(LogLevel::kInfo, "model_loaded",
             {{"model", spec.name},
              {"dir", spec.dir.string()},
              {"version", info.version},
              {"labels", info.labels.size()},
              {"quantized", info.quantized},
              {"native_attention_cores", info.native_attention_cores},
              {"fallback_threshold", slot->fallback_threshold},
              {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
    metrics_.DeclareModel(spec.name, info.labels);
    models_.Put(std::move(slot));
  }
  models_.set_default(config_.default_model.empty() ? config_.models.front().name : config_.default_model);
  ready_ = true;  // publishes the registry to the HTTP threads
}

void HttpService::BeginDrain() { draining_ = true; }

void HttpService::DrainModels() {
  for (const auto& slot : models_.All()) slot->batcher->Shutdown();
}

HandlerResult HttpService::Handle(HttpRequest& request) {
  try {
    return Route(request);
  } catch (...) {
    return Fault(request, std::current_exception());
  }
}

HttpResponse HttpService::Fault(const HttpRequest& request, std::exception_ptr error, ErrorRenderer errors) const {
  const HttpError http_error = ToHttpError(error);
  if (!http_error.detail.empty()) {
    LogEvent(LogLevel::kError, "handler_failed",
             {{"method", request.method},
              {"path", request.path},
              {"request_id", request.request_id},
              {"status", http_error.status},
              {"message", http_error.detail}});
  }
  return errors(http_error, request.request_id);
}

HandlerResult HttpService::Route(HttpRequest& request) {
  const std::string& path = request.path;
  const bool get = request.method == "GET" || request.method == "HEAD";
  const bool post = request.method == "POST";
  if (path == "/health" && get) return Health();
  if (path == "/ready" && get) return Ready();
  if (path == "/metrics" && get) return Metrics();
  if (path == "/" && get) return StaticDocument(request, WebPageHtml(), "text/html; charset=utf-8");
  if (path == "/openapi.json" && get) return StaticDocument(request, openapi_, "application/json");
  if (path == "/v1/models" && get) return HandleModels();
  if (path == "/v1/classify" && post) return HandleClassify(request);
  if (path == "/predict" && post) return HandlePredict(request);
  if (const auto model = ModelRouteName(path); model && post) return HandlePredict(request, *model);
  if (path == "/v1/admin/reload" && post) return HandleReload(request);
  if (IsKnownPath(path)) {
    HttpResponse response = ErrorResponse(
        {405, "method_not_allowed",
         request.method + " " + path + ": method not allowed, expected " + std::string(AllowedMethods(path)), ""},
        request.request_id);
    response.headers.push_back({"Allow", std::string(AllowedMethods(path))});
    return response;
  }
  throw ApiError::NotFound(request.method + " " + path + ": no such endpoint; see GET /openapi.json");
}

HttpResponse HttpService::Health() const { return Json({{"status", "ok"}}); }

HttpResponse HttpService::Ready() const {
  if (draining_) throw ApiError::Draining("the server is shutting down");
  if (!ready_) throw ApiError::NotReady("models are loading and warming up");
  return Json({{"status", "ready"}});
}

HttpResponse HttpService::Metrics() const {
  HttpResponse response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = metrics_.Render();
  return response;
}

HttpResponse HttpService::StaticDocument(const HttpRequest& request, std::string_view body, const char* content_type) {
  HttpResponse response;
  response.content_type = content_type;
  response.headers.push_back({"Accept-Ranges", "bytes"});
  std::size_t range_headers = 0;
  const std::string_view header = request.Header("Range", &range_headers);
  ByteRange range = ParseRange(header, body.size());
  if (range_headers > 1) range = ByteRange{ByteRange::Kind::kWhole, 0, 0, true};
  if (range.refused) metrics_.CountRejection("ranges");
  switch (range.kind) {
    case ByteRange::Kind::kWhole:
      response.body = std::string(body);
      break;
    case ByteRange::Kind::kOne:
      response.status = 206;
      response.body = std::string(body.substr(range.first, range.last - range.first + 1));
      response.headers.push_back({"Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                       std::to_string(range.last) + "/" + std::to_string(body.size())});
      break;
    case ByteRange::Kind::kUnsatisfiable:
      response = ErrorResponse(
          {416, "range_not_satisfiable",
           "Range: got '" + std::string(header) + "' for a document of " + std::to_string(body.size()) + " bytes", ""},
          request.request_id);
      response.headers.push_back({"Content-Range", "bytes */" + std::to_string(body.size())});
      break;
  }
  return response;
}

void HttpService::Record(const HttpRequest& request, const HttpResponse& response) {
  metrics_.CountRequest(EndpointLabel(request.path), response.status);
  if (!config_.log_requests) return;
  nlohmann::json fields = {{"method", request.method},
                           {"path", request.path},
                           {"status", response.status},
                           {"remote", request.remote_address},
                           {"request_id", request.request_id}};
  if (request.received != std::chrono::steady_clock::time_point{}) {
    fields["ms"] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - request.received).count();
  }
  for (const auto& [name, value] : response.headers) {
    if (name == "Server-Timing") fields["timing"] = value;
  }
  LogEvent(LogLevel::kInfo, "request", std::move(fields));
}

HandlerResult HttpService::ProbeHandler::Handle(HttpRequest& request) {
  try {
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (request.path == "/health" && get) return service_.Health();
    if (request.path == "/ready" && get) return service_.Ready();
    if (request.path == "/metrics" && get) return service_.Metrics();
    throw ApiError::NotFound(request.method + " " + request.path +
                             ": the probe port serves GET /health, /ready and /metrics only");
  } catch (...) {
    return service_.Fault(request, std::current_exception());
  }
}

void HttpService::ProbeHandler::Record(const HttpRequest& request, const HttpResponse& response) {
  service_.Record(request, response);
}

HttpResponse HttpService::HandleModels() const {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& slot : models_.All()) {
    const auto& info = slot->classifier->info();
    models.push_back({{"name", slot->name},
                      {"labels", info.labels},
                      {"max_length", info.max_length},
                      {"quantized", info.quantized},
                      {"version", info.version},
                      {"fallback_threshold", slot->fallback_threshold},
                      {"fallback_margin", info.fallback_margin.value_or(0.0)},
                      {"multi_label", info.multi_label},
                      {"temperature", info.temperature.value_or(1.0)},
                      {"text_normalizer", info.text_normalizer}});
  }
  return Json({{"default", models_.default_name()}, {"models", models}});
}

HttpResponse HttpService::HandleReload(const HttpRequest& request) {
  if (admin_token_.empty()) {
    throw ApiError::Forbidden(
        "reload over HTTP is disabled; start the server with --admin-token-file (FASTINTENT_ADMIN_TOKEN_FILE) or "
        "--admin-token, or send SIGHUP");
  }
  if (!SameSecret(request.Header("Authorization"), "Bearer " + admin_token_)) {
    throw ApiError::Unauthorized("missing or wrong admin token; send 'Authorization: Bearer <token>'");
  }
  std::string name;
  if (!request.body.empty()) {
    const std::string content_type(request.Header("Content-Type"));
    if (!IsJsonContentType(content_type)) {
      throw ApiError::UnsupportedMediaType("Content-Type: got '" + content_type + "', expected application/json");
    }
    const auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) throw ApiError::MalformedJson("body is not valid JSON");
    if (!body.is_object())
      throw ApiError::WrongType("body: got " + std::string(body.type_name()) + ", expected an object");
    for (const auto& [key, value] : body.items()) {
      if (key != "model") throw ApiError::WrongType("unknown field '" + key + "'; expected model");
      if (!value.is_string()) {
        throw ApiError::WrongType("field 'model': got " + std::string(value.type_name()) + ", expected a string");
      }
      name = value.get<std::string>();
    }
  }
  return Json(Reload(name));
}

nlohmann::json HttpService::Reload(const std::string& name) {
  if (!ready_) throw ApiError::NotReady("models are still loading; reload after GET /ready answers 200");
  std::lock_guard lock(reload_mutex_);
  std::vector<ModelSpec> targets;
  for (const auto& spec : config_.models) {
    if (name.empty() || spec.name == name) targets.push_back(spec);
  }
  if (targets.empty()) {
    throw ApiError::InvalidText("unknown_model", "field 'model': got '" + name + "', expected a served model name");
  }
  nlohmann::json reloaded = nlohmann::json::array();
  for (const auto& spec : targets) {
    std::shared_ptr<ModelSlot> fresh;
    try {
      fresh = LoadModelSlot(spec, config_, loader_, metrics_);
    } catch (const std::exception& e) {
      metrics_.CountReload(spec.name, false);
      LogEvent(LogLevel::kError, "reload_refused", {{"model", spec.name}, {"reason", e.what()}});
      throw ApiError::ReloadRefused("model '" + spec.name +
                                    "': the new version failed to load or warm up and was refused; the old one keeps "
                                    "serving (the reason is in the server log: reload_refused)");
    }
    const std::string version = fresh->classifier->info().version;
    metrics_.DeclareModel(spec.name, fresh->classifier->info().labels);
    auto old = models_.Swap(std::move(fresh));
    const std::string previous = old ? old->classifier->info().version : "";
    if (old) old->batcher->Shutdown();  // finishes every text admitted to the old version
    metrics_.CountReload(spec.name, true);
    LogEvent(LogLevel::kInfo, "model_reloaded", {{"model", spec.name}, {"version", version}, {"previous", previous}});
    reloaded.push_back({{"name", spec.name}, {"version", version}, {"previous_version", previous}});
  }
  return {{"reloaded", reloaded}};
}

}  // namespace fastintent::serve
