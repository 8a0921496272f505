#pragma once
// The data loop's server half: an opt-in sample of the texts the fallback policy hands to an operator, written as
// JSON lines to a size-rotated file (spdlog's rotating sink), at most a configured number per minute, with the
// personal data a chat text usually carries (e-mail addresses, links, long numbers) masked before it is written.
// Someone relabels the file and the texts go back into training (docs/scores.md, "The data loop").
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "fastintent/runtime/classifier.h"
#include "fastintent/serve/serve_config.h"

namespace spdlog {
class logger;
}

namespace fastintent::serve {

// The text with e-mail addresses -> "<email>", links (scheme:// or www.) -> "<url>" and every number of 3 or more
// digits (phones, cards, accounts, sums; inner spaces, dashes, dots and brackets included) -> "<number>". Shorter
// numbers stay: "5 гб", "на 3 дня" carry the intent and say nothing about a person. Other bytes are kept as they are.
std::string MaskPersonalData(std::string_view text);

// What the sample records about one handed-off text.
struct FallbackRecord {
  std::string_view model;
  std::string_view model_version;
  std::string_view endpoint;    // "/v1/classify" or "/predict"
  std::string_view request_id;  // X-Request-Id
  std::string_view text;        // as sent; masked before it is written
  const runtime::Prediction* prediction = nullptr;
};

enum class SampleOutcome { kWritten, kRateLimited };

// Thread-safe. Construct only with a non-empty options.file.
class FallbackSampler {
 public:
  // Opens (appends to) options.file. Throws fastintent::InvalidInput naming --fallback-sample when it cannot.
  explicit FallbackSampler(const FallbackSampleOptions& options);
  ~FallbackSampler();
  FallbackSampler(const FallbackSampler&) = delete;
  FallbackSampler& operator=(const FallbackSampler&) = delete;

  // Writes the record as one JSON line when the rate allows: a token bucket refilled at per_minute / 60 a second,
  // holding at most a tenth of a minute's worth (at least one). A write error is logged (event
  // "fallback_sample_error") and counted by errors(); it never fails the request.
  SampleOutcome Offer(const FallbackRecord& record);
  std::uint64_t errors() const { return errors_.load(); }

 private:
  bool TakeToken();

  const double per_second_;
  const double capacity_;
  const bool mask_;
  std::mutex bucket_mutex_;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_;
  std::shared_ptr<spdlog::logger> file_;
  std::atomic<std::uint64_t> errors_{0};
};

}  // namespace fastintent::serve
