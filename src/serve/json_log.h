#pragma once
// Structured logs: one JSON object per line on stderr ({"time","level","event",...fields}), via spdlog.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace fastintent::serve {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Throws fastintent::InvalidInput for a level other than debug|info|warn|error.
void ConfigureJsonLog(std::string_view level);
// Now in UTC, to the millisecond: "2026-12-07T15:04:05.123Z" (the "time" field of every log and sample line).
std::string NowIso8601();

void LogEvent(LogLevel level, std::string_view event, nlohmann::json fields = nlohmann::json::object());

}  // namespace fastintent::serve
