#pragma once
// The per-instruction-set builds of AttendHeads (attention_kernel_impl.inc compiled three times), for the
// dispatcher in attention_kernel.cpp and for tests that check every build this CPU can run.
#include "attention_kernel.h"

namespace fastintent::runtime::attention {

using AttendHeadsFunction = void (*)(const AttentionShape&, const float*, const float*, const float*, const float*,
                                     float*, std::size_t, std::size_t);

namespace avx512 {
void AttendHeads(const AttentionShape&, const float*, const float*, const float*, const float*, float*, std::size_t,
                 std::size_t);
}
namespace avx2 {
void AttendHeads(const AttentionShape&, const float*, const float*, const float*, const float*, float*, std::size_t,
                 std::size_t);
}
namespace generic {
void AttendHeads(const AttentionShape&, const float*, const float*, const float*, const float*, float*, std::size_t,
                 std::size_t);
}

// Whether this CPU can run the build for `isa` ("avx512", "avx2", "generic").
bool CpuRuns(const char* isa);

}  // namespace fastintent::runtime::attention
