// fp32 FMA peak kernels. Each function carries its own target attribute so the file builds for the
// baseline ISA and the caller picks a kernel after __builtin_cpu_supports.
#include <immintrin.h>

#include "peak_kernels.h"

namespace fastintent::bench::detail {

__attribute__((target("avx512f,fma"))) double RunFp32Avx512Fma(std::uint64_t iterations) {
  __m512 acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm512_set1_ps(0.001f * static_cast<float>(i));
  // a*acc + b with |a| < 1 keeps values bounded (no overflow or denormals, which would slow the pipe).
  const __m512 a = _mm512_set1_ps(0.999f);
  const __m512 b = _mm512_set1_ps(0.001f);
  for (std::uint64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  __m512 sum = acc[0];
  for (int i = 1; i < kAccumulators; ++i) sum = _mm512_add_ps(sum, acc[i]);
  // Stored and summed by hand: GCC 12's _mm512_reduce_add_ps trips -Wuninitialized inside its header.
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  double total = 0.0;
  for (float lane : lanes) total += static_cast<double>(lane);
  return total;
}

__attribute__((target("avx2,fma"))) double RunFp32Avx2Fma(std::uint64_t iterations) {
  __m256 acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm256_set1_ps(0.001f * static_cast<float>(i));
  const __m256 a = _mm256_set1_ps(0.999f);
  const __m256 b = _mm256_set1_ps(0.001f);
  for (std::uint64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  __m256 sum = acc[0];
  for (int i = 1; i < kAccumulators; ++i) sum = _mm256_add_ps(sum, acc[i]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, sum);
  double total = 0.0;
  for (float lane : lanes) total += static_cast<double>(lane);
  return total;
}

}  // namespace fastintent::bench::detail
