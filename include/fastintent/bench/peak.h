#pragma once
// The hardware limit: this machine's attainable fp32 FMA and INT8 dot-product (VNNI) throughput, measured by
// register-only kernels with independent accumulators (no memory traffic), so an engine's achieved
// GFLOP/s can be stated as a share of what the core can do. Only std types here.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fastintent::bench {

enum class PeakKernel {
  kFp32Avx512Fma,   // vfmadd231ps zmm: 16 lanes x 2 FLOP
  kFp32Avx2Fma,     // vfmadd231ps ymm: 8 lanes x 2 FLOP
  kInt8Avx512Vnni,  // vpdpbusd zmm: 64 u8*s8 MACs x 2 OP
  kInt8AvxVnni,     // vpdpbusd ymm (VEX): 32 MACs x 2 OP
};

enum class PeakPrecision { kFp32, kInt8 };

std::string PeakKernelName(PeakKernel kernel);
PeakPrecision PeakKernelPrecision(PeakKernel kernel);

// Kernels this CPU can run (runtime detection); empty on a CPU without FMA.
std::vector<PeakKernel> SupportedPeakKernels();

struct PeakMeasurement {
  PeakKernel kernel = PeakKernel::kFp32Avx2Fma;
  int threads = 1;
  double ops_per_second = 0.0;  // FLOP/s (fp32) or OP/s (int8, one MAC = 2 OP), summed over threads
  double seconds = 0.0;         // wall time of the timed run
};

// Runs `kernel` on `threads` threads at once for about `duration` (after a short warm-up) and returns the
// summed throughput. Throws fastintent::InvalidInput when the CPU lacks the kernel or threads < 1.
PeakMeasurement MeasurePeak(PeakKernel kernel, int threads, std::chrono::milliseconds duration);

struct HardwareLimits {
  std::vector<PeakMeasurement> measurements;       // every supported kernel, 1 thread and all threads
  std::optional<PeakMeasurement> fp32_one_thread;  // best fp32 kernel, 1 thread
  std::optional<PeakMeasurement> fp32_all_threads;
  std::optional<PeakMeasurement> int8_one_thread;  // best int8 kernel, 1 thread
  std::optional<PeakMeasurement> int8_all_threads;
  int all_threads = 1;
};

// Measures every supported kernel with 1 thread and with `all_threads` threads (0 = hardware concurrency).
HardwareLimits MeasureHardwareLimits(int all_threads, std::chrono::milliseconds duration_per_kernel);

}  // namespace fastintent::bench
