#include "progress_bar.h"

#include <unistd.h>

#include <algorithm>

namespace fastintent::train {
namespace {

std::string Duration(double seconds) {
  const long total = static_cast<long>(std::max(0.0, seconds) + 0.5);
  char text[32];
  std::snprintf(text, sizeof(text), "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  return text;
}

}  // namespace

ProgressBar::ProgressBar(std::FILE* out, bool enabled)
    : out_(out), enabled_(enabled), terminal_(enabled && isatty(fileno(out)) != 0) {}

void ProgressBar::StartEpoch(std::size_t epoch, std::size_t epochs, std::size_t steps_in_epoch) {
  epoch_ = epoch;
  epochs_ = epochs;
  steps_ = steps_in_epoch;
  step_ = examples_ = last_printed_decile_ = 0;
  loss_sum_ = 0;
  start_ = std::chrono::steady_clock::now();
}

void ProgressBar::Step(std::size_t examples, double loss) {
  ++step_;
  examples_ += examples;
  loss_sum_ += loss;
  if (!enabled_) return;
  if (terminal_) {
    Draw(false);
    return;
  }
  const std::size_t decile = steps_ ? step_ * 10 / steps_ : 10;
  if (decile > last_printed_decile_) {
    last_printed_decile_ = decile;
    Draw(false);
  }
}

void ProgressBar::Draw(bool final_line) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(examples_) / elapsed : 0.0;
  const double seconds_per_step = step_ ? elapsed / static_cast<double>(step_) : 0.0;
  const double eta = seconds_per_step * static_cast<double>(steps_ > step_ ? steps_ - step_ : 0);
  const double loss = step_ ? loss_sum_ / static_cast<double>(step_) : 0.0;
  constexpr std::size_t kWidth = 24;
  const std::size_t filled = steps_ ? std::min(kWidth, step_ * kWidth / steps_) : kWidth;
  const std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '.');
  std::fprintf(out_, "%sepoch %zu/%zu [%s] %zu/%zu loss %.4f  %.1f ex/s  ETA %s%s", terminal_ ? "\r" : "", epoch_,
               epochs_, bar.c_str(), step_, steps_, loss, rate, Duration(eta).c_str(),
               terminal_ && !final_line ? "\033[K" : "\n");
  std::fflush(out_);
}

void ProgressBar::FinishEpoch(const std::string& summary) {
  if (!enabled_) return;
  if (terminal_) Draw(true);
  std::fprintf(out_, "epoch %zu/%zu: %s\n", epoch_, epochs_, summary.c_str());
  std::fflush(out_);
}

}  // namespace fastintent::train
