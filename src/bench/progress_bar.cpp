#include "progress_bar.h"

#include <algorithm>
#include <cstdio>

namespace fastintent::bench::detail {

ProgressBar::ProgressBar(std::size_t total, bool enabled) : total_(std::max<std::size_t>(total, 1)), enabled_(enabled) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::SetLabel(std::string label) {
  label_ = std::move(label);
  Draw(true);
}

void ProgressBar::Advance(std::size_t units) {
  done_ = std::min(total_, done_ + units);
  Draw(false);
}

void ProgressBar::Finish() {
  if (!enabled_ || finished_) return;
  done_ = total_;
  Draw(true);
  std::fputc('\n', stderr);
  finished_ = true;
}

void ProgressBar::Draw(bool force) {
  if (!enabled_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr std::size_t kWidth = 30;
  const std::size_t filled = done_ * kWidth / total_;
  std::string bar(filled, '#');
  bar.append(kWidth - filled, '.');
  std::fprintf(stderr, "\r[%s] %3zu%% %-60.60s", bar.c_str(), done_ * 100 / total_, label_.c_str());
  std::fflush(stderr);
}

}  // namespace fastintent::bench::detail
