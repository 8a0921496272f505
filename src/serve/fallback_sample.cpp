#include "fallback_sample.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

#include "fastintent/common/error.h"
#include "json_log.h"

namespace fastintent::serve {
namespace {

// std::regex on bytes: every pattern is ASCII, and UTF-8 continuation bytes never match an ASCII class, so a
// Cyrillic letter can neither start nor end a match. Matching against a const regex is thread-safe.
const std::regex& EmailPattern() {
  static const std::regex pattern(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})");
  return pattern;
}

const std::regex& UrlPattern() {
  static const std::regex pattern(R"((\b[A-Za-z][A-Za-z0-9+.-]*://|\bwww\.)[^\s<>"]+)");
  return pattern;
}

// A number: digits with inner spaces, dashes, dots or brackets ("+7 (912) 345-67-89", "4276 1234 5678 9012").
const std::regex& NumberPattern() {
  static const std::regex pattern(R"(\+?\(?\d([\d \-.()]*\d)?)");
  return pattern;
}

// Replaces every match of `pattern` for which keep(match) is false by `mask`.
template <typename Keep>
std::string ReplaceMatches(const std::string& text, const std::regex& pattern, std::string_view mask, Keep keep) {
  std::string out;
  out.reserve(text.size());
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.cbegin(), text.cend(), pattern), end; it != end; ++it) {
    const auto& match = (*it)[0];
    if (keep(match.str())) continue;
    out.append(last, match.first);
    out.append(mask);
    last = match.second;
  }
  out.append(last, text.cend());
  return out;
}

std::size_t Digits(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

}  // namespace

std::string MaskPersonalData(std::string_view text) {
  std::string out(text);
  out = ReplaceMatches(out, EmailPattern(), "<email>", [](const std::string&) { return false; });
  out = ReplaceMatches(out, UrlPattern(), "<url>", [](const std::string&) { return false; });
  out = ReplaceMatches(out, NumberPattern(), "<number>", [](const std::string& number) { return Digits(number) < 3; });
  return out;
}

FallbackSampler::FallbackSampler(const FallbackSampleOptions& options)
    : per_second_(options.per_minute / 60.0),
      capacity_(std::max(1.0, options.per_minute / 10.0)),
      mask_(options.mask_personal_data),
      tokens_(capacity_),
      refilled_(std::chrono::steady_clock::now()) {
  try {
    auto sink =
        std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file, options.max_file_bytes, options.max_files);
    file_ = std::make_shared<spdlog::logger>("fallback-sample", std::move(sink));
  } catch (const spdlog::spdlog_ex& e) {
    throw InvalidInput("--fallback-sample (FASTINTENT_FALLBACK_SAMPLE): cannot open '" + options.file +
                       "' for appending: " + e.what());
  }
  file_->set_pattern("%v");
  file_->set_level(spdlog::level::info);
  file_->flush_on(spdlog::level::info);  // a line is in the file when Offer returns: tail -f and tests see it
  file_->set_error_handler([this](const std::string& message) {
    errors_.fetch_add(1);
    LogEvent(LogLevel::kWarn, "fallback_sample_error", {{"error", message}});
  });
}

FallbackSampler::~FallbackSampler() = default;

bool FallbackSampler::TakeToken() {
  const std::lock_guard<std::mutex> lock(bucket_mutex_);
  const auto now = std::chrono::steady_clock::now();
  tokens_ = std::min(capacity_, tokens_ + std::chrono::duration<double>(now - refilled_).count() * per_second_);
  refilled_ = now;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

SampleOutcome FallbackSampler::Offer(const FallbackRecord& record) {
  if (!TakeToken()) return SampleOutcome::kRateLimited;
  nlohmann::json top = nlohmann::json::array();
  if (record.prediction != nullptr) {
    const auto& entries = record.prediction->top;
    for (std::size_t i = 0; i < entries.size() && i < 3; ++i) {
      top.push_back({{"label", entries[i].label}, {"score", entries[i].score}});
    }
  }
  const nlohmann::json line = {{"time", NowIso8601()},
                               {"model", record.model},
                               {"model_version", record.model_version},
                               {"endpoint", record.endpoint},
                               {"request_id", record.request_id},
                               {"text", mask_ ? MaskPersonalData(record.text) : std::string(record.text)},
                               {"masked", mask_},
                               {"label", record.prediction != nullptr ? record.prediction->label : std::string()},
                               {"score", record.prediction != nullptr ? record.prediction->score : 0.0f},
                               {"top", std::move(top)}};
  file_->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return SampleOutcome::kWritten;
}

}  // namespace fastintent::serve
