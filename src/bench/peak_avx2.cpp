// The 256-bit kernels. Built with -mavx2 -mfma -mavxvnni (CMakeLists.txt): run only after peak.cpp has checked
// the CPU. VEX encoding reaches 16 ymm registers: 12 accumulators and the two constants fit, 16 accumulators did
// not (the compiler spilled two chains to the stack on every round).
#include <immintrin.h>

#include "peak_kernels.h"

namespace fastintent::bench::detail {
namespace {

struct Fp32Ymm {
  using Vector = __m256;
  using Lane = float;
  static constexpr int kMacsPerLane = 1;
  static constexpr int kAccumulators = 12;
  static Vector Seed(int i) { return _mm256_set1_ps(0.001f * static_cast<float>(i)); }
  static Vector Step(Vector acc) { return _mm256_fmadd_ps(acc, _mm256_set1_ps(0.999f), _mm256_set1_ps(0.001f)); }
};

struct Int8Ymm {
  using Vector = __m256i;
  using Lane = std::int32_t;
  static constexpr int kMacsPerLane = 4;
  static constexpr int kAccumulators = 12;
  static Vector Seed(int i) { return _mm256_set1_epi32(i); }
  static Vector Step(Vector acc) { return _mm256_dpbusd_avx_epi32(acc, _mm256_set1_epi8(3), _mm256_set1_epi8(-2)); }
};

}  // namespace

const RegisterKernel kFp32Avx2Fma = MakeRegisterKernel<Fp32Ymm>();
const RegisterKernel kInt8AvxVnni = MakeRegisterKernel<Int8Ymm>();

}  // namespace fastintent::bench::detail
