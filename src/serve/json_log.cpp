#include "json_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "fastintent/common/error.h"

namespace fastintent::serve {
namespace {

std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto created = spdlog::stderr_logger_mt("fastintent-serve");
    created->set_pattern("%v");
    return created;
  }();
  return logger;
}

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

std::string NowIso8601() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char result[48];
  std::snprintf(result, sizeof result, "%s.%03dZ", buffer, static_cast<int>(millis));
  return result;
}

void ConfigureJsonLog(std::string_view level) {
  if (level == "debug") {
    Logger()->set_level(spdlog::level::debug);
  } else if (level == "info") {
    Logger()->set_level(spdlog::level::info);
  } else if (level == "warn") {
    Logger()->set_level(spdlog::level::warn);
  } else if (level == "error") {
    Logger()->set_level(spdlog::level::err);
  } else {
    throw InvalidInput("--log-level (FASTINTENT_LOG_LEVEL): got '" + std::string(level) +
                       "', expected debug, info, warn or error");
  }
}

void LogEvent(LogLevel level, std::string_view event, nlohmann::json fields) {
  auto& logger = Logger();
  const auto spd_level = ToSpdlog(level);
  if (!logger->should_log(spd_level)) return;
  static constexpr const char* kNames[] = {"debug", "info", "warn", "error"};
  nlohmann::json line = {{"time", NowIso8601()}, {"level", kNames[static_cast<int>(level)]}, {"event", event}};
  for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  logger->log(spd_level, line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (level >= LogLevel::kWarn) logger->flush();
}

}  // namespace fastintent::serve
