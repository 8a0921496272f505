#include "fastintent/bench/machine.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

namespace fastintent::bench {
namespace {

// The flags that decide which kernels ONNX Runtime, OpenVINO, CTranslate2 and the peak kernels use.
constexpr const char* kSimdFlags[] = {"sse4_2",   "avx",      "avx2",     "fma",         "f16c",        "avx512f",
                                      "avx512bw", "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16", "avx512_fp16",
                                      "avx_vnni", "amx_tile", "amx_int8", "amx_bf16"};

std::string Compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "g++ " __VERSION__;
#else
  return "unknown compiler";
#endif
}

}  // namespace

std::string LoadAverage::ToString() const {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f %.2f %.2f", values[0], values[1], values[2]);
  return buffer;
}

std::optional<LoadAverage> ReadLoadAverage() {
  std::ifstream in("/proc/loadavg");
  LoadAverage load;
  if (!(in >> load.values[0] >> load.values[1] >> load.values[2])) return std::nullopt;
  return load;
}

std::string MachineInfo::SimdText() const {
  std::string text;
  for (const auto& flag : simd) text += (text.empty() ? "" : " ") + flag;
  return text.empty() ? "none of the listed SIMD flags" : text;
}

std::string MachineInfo::Summary() const {
  return (cpu_model.empty() ? std::string("unknown CPU") : cpu_model) + ", " + std::to_string(logical_cpus) +
         " logical CPUs; SIMD: " + SimdText();
}

MachineInfo DescribeMachine() {
  MachineInfo info;
  info.logical_cpus = static_cast<int>(std::thread::hardware_concurrency());
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, flags;
  while (std::getline(cpuinfo, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (info.cpu_model.empty() && line.rfind("model name", 0) == 0) info.cpu_model = value;
    if (flags.empty() && line.rfind("flags", 0) == 0) flags = " " + value + " ";
    if (!info.cpu_model.empty() && !flags.empty()) break;
  }
  for (const char* flag : kSimdFlags) {
    if (flags.find(" " + std::string(flag) + " ") != std::string::npos) info.simd.emplace_back(flag);
  }
  utsname name{};
  if (uname(&name) == 0) info.kernel = std::string(name.sysname) + " " + name.release;
  info.compiler = Compiler();
  info.load_before = ReadLoadAverage();
  return info;
}

}  // namespace fastintent::bench
