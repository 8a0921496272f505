#pragma once
// Training progress on stderr: epoch, step, running loss, throughput (examples/s) and ETA. On a terminal the
// line is redrawn in place; otherwise (logs, CI) a plain line is printed about every 10% of an epoch.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace fastintent::train {

class ProgressBar {
 public:
  ProgressBar(std::FILE* out, bool enabled);
  void StartEpoch(std::size_t epoch, std::size_t epochs, std::size_t steps_in_epoch);
  // After each optimizer step: examples in the step and the step's loss.
  void Step(std::size_t examples, double loss);
  // Ends the epoch's line and prints `summary` (e.g. validation metrics).
  void FinishEpoch(const std::string& summary);

 private:
  void Draw(bool final_line);

  std::FILE* out_;
  bool enabled_;
  bool terminal_;
  std::size_t epoch_ = 0, epochs_ = 0, steps_ = 0, step_ = 0, examples_ = 0, last_printed_decile_ = 0;
  double loss_sum_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace fastintent::train
