// INT8 dot-product (VNNI) peak kernels: vpdpbusd multiplies 4 u8 x s8 pairs per 32-bit lane and adds
// them to the accumulator, the instruction ONNX Runtime's INT8 GEMMs use on this class of CPU.
#include <immintrin.h>

#include "peak_kernels.h"

namespace fastintent::bench::detail {

__attribute__((target("avx512f,avx512vnni"))) double RunInt8Avx512Vnni(std::uint64_t iterations) {
  __m512i acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm512_set1_epi32(i);
  const __m512i a = _mm512_set1_epi8(3);
  const __m512i b = _mm512_set1_epi8(-2);
  for (std::uint64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
  }
  __m512i sum = acc[0];
  for (int i = 1; i < kAccumulators; ++i) sum = _mm512_add_epi32(sum, acc[i]);
  // Stored and summed by hand: GCC 12's _mm512_reduce_add_epi32 trips -Wuninitialized inside its header.
  alignas(64) std::int32_t lanes[16];
  _mm512_store_si512(lanes, sum);
  double total = 0.0;
  for (std::int32_t lane : lanes) total += static_cast<double>(lane);
  return total;
}

__attribute__((target("avx2,avxvnni"))) double RunInt8AvxVnni(std::uint64_t iterations) {
  __m256i acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm256_set1_epi32(i);
  const __m256i a = _mm256_set1_epi8(3);
  const __m256i b = _mm256_set1_epi8(-2);
  for (std::uint64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm256_dpbusd_avx_epi32(acc[i], a, b);
  }
  __m256i sum = acc[0];
  for (int i = 1; i < kAccumulators; ++i) sum = _mm256_add_epi32(sum, acc[i]);
  alignas(32) std::int32_t lanes[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), sum);
  double total = 0.0;
  for (std::int32_t lane : lanes) total += static_cast<double>(lane);
  return total;
}

}  // namespace fastintent::bench::detail
