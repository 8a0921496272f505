// Runtime dispatch, calibration and multi-threaded timing of the peak kernels.
#include "fastintent/bench/peak.h"

#include <cpuid.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <thread>

#include "fastintent/common/error.h"
#include "peak_kernels.h"

namespace fastintent::bench {
namespace {

using Clock = std::chrono::steady_clock;

const detail::RegisterKernel& Kernel(PeakKernel kernel) {
  switch (kernel) {
    case PeakKernel::kFp32Avx512Fma:
      return detail::kFp32Avx512Fma;
    case PeakKernel::kFp32Avx2Fma:
      return detail::kFp32Avx2Fma;
    case PeakKernel::kInt8Avx512Vnni:
      return detail::kInt8Avx512Vnni;
    case PeakKernel::kInt8AvxVnni:
      return detail::kInt8AvxVnni;
  }
  throw InvalidInput("peak kernel: got an unknown kernel id " + std::to_string(static_cast<int>(kernel)));
}

// AVX-VNNI (VEX-encoded, CPUID.(EAX=7,ECX=1):EAX bit 4), read directly: clang 14 has no
// __builtin_cpu_supports("avxvnni"). Its registers are the AVX2 ones, so the OS check of "avx2" covers it.
bool HasAvxVnni() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) != 0 && (eax & (1u << 4)) != 0;
}

bool Supported(PeakKernel kernel) {
  __builtin_cpu_init();
  switch (kernel) {
    case PeakKernel::kFp32Avx512Fma:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
    case PeakKernel::kFp32Avx2Fma:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case PeakKernel::kInt8Avx512Vnni:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vnni");
    case PeakKernel::kInt8AvxVnni:
      return __builtin_cpu_supports("avx2") && HasAvxVnni();
  }
  return false;
}

// Rounds that take about `target` on one thread, found by doubling a short run.
std::uint64_t Calibrate(const detail::RegisterKernel& entry, std::chrono::milliseconds target) {
  std::uint64_t rounds = 1 << 14;
  volatile double sink = 0.0;
  for (;;) {
    const auto start = Clock::now();
    sink = sink + entry.run(rounds);
    const std::chrono::duration<double> took = Clock::now() - start;
    if (took.count() >= 0.02 || rounds >= (std::uint64_t{1} << 40)) {
      const double scale = std::chrono::duration<double>(target).count() / std::max(took.count(), 1e-9);
      return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(static_cast<double>(rounds) * scale));
    }
    rounds *= 2;
  }
}

}  // namespace

std::string PeakKernelName(PeakKernel kernel) {
  switch (kernel) {
    case PeakKernel::kFp32Avx512Fma:
      return "fp32-avx512-fma";
    case PeakKernel::kFp32Avx2Fma:
      return "fp32-avx2-fma";
    case PeakKernel::kInt8Avx512Vnni:
      return "int8-avx512-vnni";
    case PeakKernel::kInt8AvxVnni:
      return "int8-avx-vnni";
  }
  return "unknown";
}

PeakPrecision PeakKernelPrecision(PeakKernel kernel) {
  return kernel == PeakKernel::kInt8Avx512Vnni || kernel == PeakKernel::kInt8AvxVnni ? PeakPrecision::kInt8
                                                                                     : PeakPrecision::kFp32;
}

std::vector<PeakKernel> SupportedPeakKernels() {
  std::vector<PeakKernel> kernels;
  for (PeakKernel kernel :
       {PeakKernel::kFp32Avx512Fma, PeakKernel::kFp32Avx2Fma, PeakKernel::kInt8Avx512Vnni, PeakKernel::kInt8AvxVnni}) {
    if (Supported(kernel)) kernels.push_back(kernel);
  }
  return kernels;
}

PeakMeasurement MeasurePeak(PeakKernel kernel, int threads, std::chrono::milliseconds duration) {
  if (threads < 1) throw InvalidInput("peak: threads must be >= 1, got " + std::to_string(threads));
  if (!Supported(kernel)) throw InvalidInput("peak: this CPU does not support kernel " + PeakKernelName(kernel));
  const detail::RegisterKernel& entry = Kernel(kernel);
  const std::uint64_t rounds = Calibrate(entry, duration);

  // All threads start together after a barrier. Each worker stamps its own start and end, so the wall time
  // (earliest start to latest end) never depends on when this thread gets scheduled again.
  std::barrier start_line(threads);
  std::vector<Clock::time_point> starts(static_cast<std::size_t>(threads)), ends(starts.size());
  std::atomic<double> checksum{0.0};
  {
    std::vector<std::jthread> workers;
    workers.reserve(starts.size());
    for (std::size_t t = 0; t < starts.size(); ++t) {
      workers.emplace_back([&, t] {
        start_line.arrive_and_wait();
        starts[t] = Clock::now();
        const double value = entry.run(rounds);
        ends[t] = Clock::now();
        double expected = checksum.load();
        while (!checksum.compare_exchange_weak(expected, expected + value)) {
        }
      });
    }
  }  // joins
  const std::chrono::duration<double> took =
      *std::max_element(ends.begin(), ends.end()) - *std::min_element(starts.begin(), starts.end());
  volatile double sink = checksum.load();
  (void)sink;

  PeakMeasurement result;
  result.kernel = kernel;
  result.threads = threads;
  result.seconds = took.count();
  result.ops_per_second = static_cast<double>(rounds) * entry.ops_per_round * threads / took.count();
  return result;
}

HardwareLimits MeasureHardwareLimits(int all_threads, std::chrono::milliseconds duration_per_kernel) {
  HardwareLimits limits;
  limits.all_threads =
      all_threads > 0 ? all_threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  auto keep_best = [](std::optional<PeakMeasurement>& best, const PeakMeasurement& m) {
    if (!best || m.ops_per_second > best->ops_per_second) best = m;
  };
  for (PeakKernel kernel : SupportedPeakKernels()) {
    std::vector<int> counts{1};
    if (limits.all_threads > 1) counts.push_back(limits.all_threads);
    for (int threads : counts) {
      const PeakMeasurement m = MeasurePeak(kernel, threads, duration_per_kernel);
      limits.measurements.push_back(m);
      const bool fp32 = PeakKernelPrecision(kernel) == PeakPrecision::kFp32;
      if (threads == 1)
        keep_best(fp32 ? limits.fp32_one_thread : limits.int8_one_thread, m);
      else
        keep_best(fp32 ? limits.fp32_all_threads : limits.int8_all_threads, m);
    }
  }
  if (limits.all_threads == 1) {
    limits.fp32_all_threads = limits.fp32_one_thread;
    limits.int8_all_threads = limits.int8_one_thread;
  }
  return limits;
}

}  // namespace fastintent::bench
