#pragma once
// A one-line progress bar on stderr: "[#####.....]  42% fig 5 rubert-tiny2 ort-int8 b=16". Redrawn at most
// every 100 ms; silent when disabled. Not thread-safe (the sweep runs on one thread).
#include <chrono>
#include <cstddef>
#include <string>

namespace fastintent::bench::detail {

class ProgressBar {
 public:
  ProgressBar(std::size_t total, bool enabled);
  ~ProgressBar();
  void SetLabel(std::string label);
  void Advance(std::size_t units = 1);
  void Finish();

 private:
  void Draw(bool force);
  std::size_t total_;
  std::size_t done_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::string label_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace fastintent::bench::detail
