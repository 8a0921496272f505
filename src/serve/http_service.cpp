#include "http_service.h"

#include <httplib.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <string_view>
#include <thread>

#include "classify_request.h"
#include "fastintent/common/error.h"
#include "json_log.h"
#include "web_resources.h"

namespace fastintent::serve {
namespace {

constexpr std::array<std::string_view, 8> kPaths = {"/",        "/openapi.json", "/health",      "/ready",
                                                    "/metrics", "/v1/models",    "/v1/classify", "/v1/admin/reload"};

std::string EndpointLabel(const std::string& path) {
  for (const auto known : kPaths) {
    if (path == known) return std::string(known);
  }
  return "other";
}

std::string_view AllowedMethods(std::string_view path) {
  if (path == "/v1/classify" || path == "/v1/admin/reload") return "POST";
  return "GET, HEAD";
}

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool SameSecret(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    difference |= static_cast<unsigned char>(g ^ expected[i]);
  }
  return difference == 0;
}

bool IsKnownPath(std::string_view path) {
  for (const auto known : kPaths) {
    if (path == known) return true;
  }
  return false;
}

// Every handler runs inside this guard: whatever it throws becomes a JSON error through ToHttpError.
template <typename Fn>
httplib::Server::Handler Guarded(Fn fn) {
  return [fn](const httplib::Request& request, httplib::Response& response) {
    try {
      fn(request, response);
    } catch (...) {
      const HttpError error = ToHttpError(std::current_exception());
      if (error.status >= 500 && error.code == "internal") {
        LogEvent(LogLevel::kError, "handler_failed", {{"path", request.path}, {"message", error.message}});
      }
      WriteError(response, error);
    }
  };
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
  return spec.dump(2);
}

void WriteJson(httplib::Response& response, const nlohmann::json& body, int status = 200) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

}  // namespace

void WriteError(httplib::Response& response, const HttpError& error) {
  response.status = error.status;
  if (error.status == 429 || error.status == 503) response.set_header("Retry-After", "1");
  response.set_content(error.Body(), "application/json");
}

HttpService::HttpService(ServeConfig config, ModelLoader loader)
    : config_(std::move(config)),
      loader_(std::move(loader)),
      openapi_(ServedOpenApi(config_)),
      server_(std::make_unique<httplib::Server>()) {
  Route();
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
              {"fallback_threshold", slot->fallback_threshold},
              {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
    models_.Put(std::move(slot));
  }
  models_.set_default(config_.default_model.empty() ? config_.models.front().name : config_.default_model);
  ready_ = true;  // publishes the registry to the HTTP threads
}

int HttpService::Bind() {
  // cpp-httplib 0.11 (Debian, compiled) listens with a backlog of 5: under a burst of new connections the
  // kernel drops SYNs and those clients retry after 1 s (measured: wrk at 64 connections saw p99 > 1 s with
  // TcpExtListenOverflows rising). The socket-options hook runs on the listening socket before it listens;
  // remember it and listen again with the system's maximum, which Linux applies to a listening socket.
  server_->set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listening_socket_ = sock;
  });
  int port = config_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(config_.host);
    if (port < 0) port = 0;
  } else if (!server_->bind_to_port(config_.host, port)) {
    port = 0;
  }
  if (port == 0) {
    throw IoError("cannot listen on " + config_.host + ":" + std::to_string(config_.port) +
                  " (address in use or not local?); change --host/--port (FASTINTENT_HOST/FASTINTENT_PORT)");
  }
  if (listening_socket_ >= 0 && ::listen(listening_socket_, SOMAXCONN) != 0) {
    LogEvent(LogLevel::kWarn, "listen backlog stays at cpp-httplib's 5", {{"errno", errno}});
  }
  LogEvent(LogLevel::kInfo, "listening", {{"host", config_.host}, {"port", port}});
  return port;
}

void HttpService::Serve() {
  server_->listen_after_bind();
  serve_returned_ = true;
}

void HttpService::Stop() {
  if (stop_requested_.exchange(true)) return;
  draining_ = true;  // /ready answers 503 from now on; classify keeps answering until the listener is gone
  // Serve() may not have entered the listen loop yet (a stop that early would be lost): wait for it briefly.
  for (int i = 0; i < 5000 && !server_->is_running() && !serve_returned_; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server_->stop();
}

void HttpService::DrainModels() {
  for (const auto& slot : models_.All()) slot->batcher->Shutdown();
}

void HttpService::Route() {
  auto& server = *server_;
  server.new_task_queue = [threads = config_.http_threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(config_.max_body_bytes);
  server.set_keep_alive_max_count(100000);
  server.set_keep_alive_timeout(config_.keep_alive_seconds);
  server.set_tcp_nodelay(true);

  server.Get("/", Guarded([](const httplib::Request&, httplib::Response& response) {
               response.set_content(std::string(WebPageHtml()), "text/html; charset=utf-8");
             }));
  server.Get("/openapi.json", Guarded([this](const httplib::Request&, httplib::Response& response) {
               response.set_content(openapi_, "application/json");
             }));
  server.Get("/health", Guarded([](const httplib::Request&, httplib::Response& response) {
               WriteJson(response, {{"status", "ok"}});
             }));
  server.Get("/ready", Guarded([this](const httplib::Request&, httplib::Response& response) {
               if (draining_) throw ApiError::Draining("the server is shutting down");
               if (!ready_) throw ApiError::NotReady("models are loading and warming up");
               WriteJson(response, {{"status", "ready"}});
             }));
  server.Get("/metrics", Guarded([this](const httplib::Request&, httplib::Response& response) {
               response.set_content(metrics_.Render(), "text/plain; version=0.0.4; charset=utf-8");
             }));
  server.Get("/v1/models",
             Guarded([this](const httplib::Request&, httplib::Response& response) { HandleModels(response); }));
  server.Post("/v1/classify", Guarded([this](const httplib::Request& request, httplib::Response& response) {
                HandleClassify(request, response);
              }));
  server.Post("/v1/admin/reload", Guarded([this](const httplib::Request& request, httplib::Response& response) {
                HandleReload(request, response);
              }));

  server.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
    WriteError(response, ToHttpError(error));
  });
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request& request, httplib::Response& response) {
        HandleError(request, response);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_logger(
      [this](const httplib::Request& request, const httplib::Response& response) { LogRequest(request, response); });
}

void HttpService::HandleError(const httplib::Request& request, httplib::Response& response) {
  if (!response.body.empty()) return;  // one of our handlers already wrote a JSON error
  if (response.status == 404 && IsKnownPath(request.path)) {
    response.set_header("Allow", std::string(AllowedMethods(request.path)));
    WriteError(response, {405, "method_not_allowed",
                          request.method + " " + request.path + ": method not allowed, expected " +
                              std::string(AllowedMethods(request.path))});
    return;
  }
  HttpError error = DefaultHttpError(response.status);
  if (response.status == 404) error.message = request.method + " " + request.path + ": " + error.message;
  if (response.status == 413) {
    error.message = "request body over the limit of " + std::to_string(config_.max_body_bytes) +
                    " bytes (--max-body-bytes / FASTINTENT_MAX_BODY_BYTES)";
  }
  WriteError(response, error);
}

void HttpService::LogRequest(const httplib::Request& request, const httplib::Response& response) {
  metrics_.CountRequest(EndpointLabel(request.path), response.status);
  if (config_.log_requests) {
    LogEvent(LogLevel::kInfo, "request",
             {{"method", request.method},
              {"path", request.path},
              {"status", response.status},
              {"remote", request.remote_addr},
              {"timing", response.get_header_value("Server-Timing")}});
  }
}

void HttpService::HandleModels(httplib::Response& response) const {
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
                      {"temperature", info.temperature.value_or(1.0)}});
  }
  WriteJson(response, {{"default", models_.default_name()}, {"models", models}});
}

void HttpService::HandleReload(const httplib::Request& request, httplib::Response& response) {
  if (config_.admin_token.empty()) {
    throw ApiError::Forbidden(
        "reload over HTTP is disabled; start the server with --admin-token "
        "(FASTINTENT_ADMIN_TOKEN), or send SIGHUP");
  }
  if (!SameSecret(request.get_header_value("Authorization"), "Bearer " + config_.admin_token)) {
    throw ApiError::Unauthorized("missing or wrong admin token; send 'Authorization: Bearer <token>'");
  }
  std::string name;
  if (!request.body.empty()) {
    if (!IsJsonContentType(request.get_header_value("Content-Type"))) {
      throw ApiError::UnsupportedMediaType("Content-Type: got '" + request.get_header_value("Content-Type") +
                                           "', expected application/json");
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
  WriteJson(response, Reload(name));
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
      throw ApiError::ReloadRefused(std::string("new version refused, the old one keeps serving: ") + e.what());
    }
    const std::string version = fresh->classifier->info().version;
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
