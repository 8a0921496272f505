#pragma once
// Register-only throughput kernels. Each runs `iterations` rounds of independent multiply-accumulate
// chains and returns a checksum that depends on every result (so the work cannot be optimized away).
// Callers must check CPU support first (peak.cpp does). Operation counts per round are below.
#include <cstdint>

namespace fastintent::bench::detail {

// Independent accumulators per kernel: more than (FMA latency x FMA ports) so the pipes never wait.
inline constexpr int kAccumulators = 16;

inline constexpr double kFp32Avx512OpsPerRound = kAccumulators * 16.0 * 2.0;
inline constexpr double kFp32Avx2OpsPerRound = kAccumulators * 8.0 * 2.0;
inline constexpr double kInt8Avx512VnniOpsPerRound = kAccumulators * 64.0 * 2.0;
inline constexpr double kInt8AvxVnniOpsPerRound = kAccumulators * 32.0 * 2.0;

double RunFp32Avx512Fma(std::uint64_t iterations);
double RunFp32Avx2Fma(std::uint64_t iterations);
double RunInt8Avx512Vnni(std::uint64_t iterations);
double RunInt8AvxVnni(std::uint64_t iterations);

}  // namespace fastintent::bench::detail
