// The 512-bit kernels. Built with -mavx512f -mavx512vnni -mfma (CMakeLists.txt): run only after peak.cpp has
// checked the CPU. 32 zmm registers hold 16 accumulators and the two constants.
#include <immintrin.h>

#include "peak_kernels.h"

namespace fastintent::bench::detail {
namespace {

struct Fp32Zmm {
  using Vector = __m512;
  using Lane = float;
  static constexpr int kMacsPerLane = 1;
  static constexpr int kAccumulators = 16;
  static Vector Seed(int i) { return _mm512_set1_ps(0.001f * static_cast<float>(i)); }
  // acc * 0.999 + 0.001 converges to 1: bounded, never denormal.
  static Vector Step(Vector acc) { return _mm512_fmadd_ps(acc, _mm512_set1_ps(0.999f), _mm512_set1_ps(0.001f)); }
};

struct Int8Zmm {
  using Vector = __m512i;
  using Lane = std::int32_t;
  static constexpr int kMacsPerLane = 4;  // four u8 x s8 products summed into each 32-bit lane
  static constexpr int kAccumulators = 16;
  static Vector Seed(int i) { return _mm512_set1_epi32(i); }
  // Adds 4 * 3 * -2 = -24 per lane and step: wraps after ~10^8 steps, harmless for a checksum.
  static Vector Step(Vector acc) { return _mm512_dpbusd_epi32(acc, _mm512_set1_epi8(3), _mm512_set1_epi8(-2)); }
};

}  // namespace

const RegisterKernel kFp32Avx512Fma = MakeRegisterKernel<Fp32Zmm>();
const RegisterKernel kInt8Avx512Vnni = MakeRegisterKernel<Int8Zmm>();

}  // namespace fastintent::bench::detail
