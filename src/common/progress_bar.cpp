#include "fastintent/common/progress_bar.h"

#include <unistd.h>

#include <algorithm>

namespace fastintent {
namespace {

std::string Duration(double seconds) {
  const long total = static_cast<long>(std::max(0.0, seconds) + 0.5);
  char text[32];
  std::snprintf(text, sizeof(text), "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  return text;
}

}  // namespace

ProgressBar::ProgressBar(std::FILE* out, std::size_t total, bool enabled, std::string unit)
    : out_(out),
      total_(std::max<std::size_t>(total, 1)),
      enabled_(enabled && out != nullptr),
      terminal_(enabled_ && isatty(fileno(out)) != 0),
      unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  if (enabled_ && line_open_) {
    std::fputc('\n', out_);
    std::fflush(out_);
  }
}

void ProgressBar::SetLabel(std::string label) { label_ = std::move(label); }

void ProgressBar::SetStatus(std::string status) { status_ = std::move(status); }

void ProgressBar::Restart(std::size_t total) {
  total_ = std::max<std::size_t>(total, 1);
  done_ = last_tenth_ = 0;
  start_ = std::chrono::steady_clock::now();
}

void ProgressBar::Advance(std::size_t units) {
  done_ = std::min(total_, done_ + units);
  if (!enabled_) return;
  if (terminal_) {
    const auto now = std::chrono::steady_clock::now();
    if (done_ < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    Draw(false);
    return;
  }
  const std::size_t tenth = done_ * 10 / total_;
  if (tenth > last_tenth_) {
    last_tenth_ = tenth;
    Draw(false);
  }
}

void ProgressBar::Finish(const std::string& summary) {
  if (!enabled_) return;
  done_ = total_;
  if (terminal_) Draw(true);
  line_open_ = false;
  if (!summary.empty()) std::fprintf(out_, "%s%s%s\n", label_.c_str(), label_.empty() ? "" : ": ", summary.c_str());
  std::fflush(out_);
}

void ProgressBar::Draw(bool final_line) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0.0;
  constexpr std::size_t kWidth = 24;
  const std::size_t filled = done_ * kWidth / total_;
  const std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '.');
  std::string rate_text;
  if (!unit_.empty()) {
    char text[64];
    std::snprintf(text, sizeof(text), "  %.1f %s/s", rate, unit_.c_str());
    rate_text = text;
  }
  std::fprintf(out_, "%s%s%s[%s] %zu/%zu %3zu%%%s%s%s  ETA %s%s", terminal_ ? "\r" : "", label_.c_str(),
               label_.empty() ? "" : " ", bar.c_str(), done_, total_, done_ * 100 / total_, rate_text.c_str(),
               status_.empty() ? "" : "  ", status_.c_str(), Duration(eta).c_str(),
               terminal_ && !final_line ? "\033[K" : "\n");
  line_open_ = terminal_ && !final_line;
  std::fflush(out_);
}

}  // namespace fastintent
