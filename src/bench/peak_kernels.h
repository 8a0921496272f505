#pragma once
// Register-only throughput kernels: independent multiply-accumulate chains that never touch memory inside the
// timed loop, so their rate is the core's arithmetic limit. Each ISA's kernels live in a file built with that ISA's
// compiler flags (peak_avx512.cpp, peak_avx2.cpp; see CMakeLists.txt), because the chains must be inlined into
// one loop and GCC refuses to inline target-specific intrinsics into a function built for another target.
// Callers check the CPU first (peak.cpp does). tests/bench/peak_registers_test.py reads the machine code and
// checks that every chain stays in a register: with 16 accumulators and 2 constants, the 256-bit kernels
// (16 ymm registers) used to spill to the stack and read about 40% low.
#include <cstdint>

namespace fastintent::bench::detail {

struct RegisterKernel {
  double (*run)(std::uint64_t rounds);  // returns a checksum of every accumulator (so nothing is optimized away)
  double ops_per_round;                 // FLOP (fp32) or OP (int8); one multiply-add counts 2
  int accumulators;
};

extern const RegisterKernel kFp32Avx512Fma;   // vfmadd231ps zmm
extern const RegisterKernel kInt8Avx512Vnni;  // vpdpbusd zmm (EVEX)
extern const RegisterKernel kFp32Avx2Fma;     // vfmadd231ps ymm
extern const RegisterKernel kInt8AvxVnni;     // vpdpbusd ymm (VEX)

// The loop every kernel runs. `Isa` gives the register type (`Vector`), its lane type (`Lane`), the
// multiply-adds per lane and instruction (`kMacsPerLane`), the accumulator count — more than latency x ports so
// the pipes never wait, and no more than the register file holds beside Step's two constants — a seed per
// accumulator and `Step`, one multiply-accumulate whose values stay bounded (no overflow, no denormals).
template <class Isa>
double RunChains(std::uint64_t rounds) {
  // Every loop over the accumulators is unrolled, so the compiler turns the array into registers.
  typename Isa::Vector acc[Isa::kAccumulators];
#pragma GCC unroll 16
  for (int i = 0; i < Isa::kAccumulators; ++i) acc[i] = Isa::Seed(i);
  for (std::uint64_t r = 0; r < rounds; ++r) {
#pragma GCC unroll 16
    for (int i = 0; i < Isa::kAccumulators; ++i) acc[i] = Isa::Step(acc[i]);
  }
  double total = 0.0;
#pragma GCC unroll 16
  for (const auto& vector : acc) {
    typename Isa::Lane lanes[sizeof(vector) / sizeof(typename Isa::Lane)];
    __builtin_memcpy(lanes, &vector, sizeof vector);
    for (auto lane : lanes) total += static_cast<double>(lane);
  }
  return total;
}

template <class Isa>
constexpr RegisterKernel MakeRegisterKernel() {
  constexpr double lanes = sizeof(typename Isa::Vector) / sizeof(typename Isa::Lane);
  return {RunChains<Isa>, Isa::kAccumulators * lanes * Isa::kMacsPerLane * 2.0, Isa::kAccumulators};
}

}  // namespace fastintent::bench::detail
