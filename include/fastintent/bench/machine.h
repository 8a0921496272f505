#pragma once
// The machine a result was measured on, written into every result file: CPU model, logical CPUs, the SIMD
// extensions that decide which kernels run (AVX2, FMA, AVX-512 and its VNNI/BF16/FP16 parts, AVX-VNNI, AMX),
// kernel, compiler, and the load average before and after (other jobs on a shared machine change absolute
// times; interleaved rounds keep ratios comparable, the load average says how much to trust the rest).
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace fastintent::bench {

struct LoadAverage {
  std::array<double, 3> values{};  // 1, 5, 15 minutes, as /proc/loadavg
  std::string ToString() const;    // "5.12 4.80 4.33"
};

struct MachineInfo {
  std::string cpu_model;
  int logical_cpus = 0;
  std::vector<std::string> simd;  // the SIMD flags of /proc/cpuinfo that matter here, in a fixed order
  std::string kernel;             // uname -sr
  std::string compiler;           // the compiler that built this binary
  std::optional<LoadAverage> load_before;
  std::optional<LoadAverage> load_after;
  std::string SimdText() const;  // "avx2 fma avx512f ..."
  std::string Summary() const;   // one line: model, CPUs, SIMD
};

// Reads /proc/cpuinfo, /proc/loadavg (as load_before) and uname; fields it cannot read stay empty.
MachineInfo DescribeMachine();
std::optional<LoadAverage> ReadLoadAverage();

}  // namespace fastintent::bench
