#pragma once
// The one progress display of the project (training epochs, the benchmark sweep, model builds): a bar with
// a label before it and a status after it, the done/total count, the rate and the time left. On a terminal
// the line is redrawn in place (at most every 100 ms); elsewhere (logs, CI) a plain line is printed at
// every tenth of the work, so logs stay short. Silent when disabled. Not thread-safe: one owner thread.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace fastintent {

class ProgressBar {
 public:
  // `unit` names what is counted in the rate ("steps", "cells"); `out` is usually stderr.
  ProgressBar(std::FILE* out, std::size_t total, bool enabled, std::string unit = "");
  ~ProgressBar();  // ends an unfinished line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void SetLabel(std::string label);    // before the bar, e.g. "epoch 2/10"
  void SetStatus(std::string status);  // after the counts, e.g. "loss 0.4123  57.1 ex/s"
  void Advance(std::size_t units = 1);
  // Starts a new pass of `total` units (the next epoch); the clock restarts.
  void Restart(std::size_t total);
  // Draws the full bar, ends the line and prints `summary` on its own line when not empty.
  void Finish(const std::string& summary = "");

 private:
  void Draw(bool final_line);

  std::FILE* out_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool enabled_;
  bool terminal_;
  bool line_open_ = false;
  std::string unit_;
  std::string label_;
  std::string status_;
  std::size_t last_tenth_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace fastintent
