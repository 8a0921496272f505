#include <cstring>

#include "attention_kernel_isa.h"

namespace fastintent::runtime::attention {
namespace {

struct Choice {
  AttendHeadsFunction kernel;
  const char* isa;
};

const Choice& Chosen() {
  static const Choice choice = [] {
    if (CpuRuns("avx512")) return Choice{&avx512::AttendHeads, "avx512"};
    if (CpuRuns("avx2")) return Choice{&avx2::AttendHeads, "avx2"};
    return Choice{&generic::AttendHeads, "generic"};
  }();
  return choice;
}

}  // namespace

bool CpuRuns(const char* isa) {
  __builtin_cpu_init();
  if (std::strcmp(isa, "avx512") == 0) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  if (std::strcmp(isa, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return std::strcmp(isa, "generic") == 0;
}

void AttendHeads(const AttentionShape& shape, const float* q, const float* k, const float* v, const float* mask_bias,
                 float* out, std::size_t begin, std::size_t end) {
  Chosen().kernel(shape, q, k, v, mask_bias, out, begin, end);
}

const char* AttentionIsa() { return Chosen().isa; }

}  // namespace fastintent::runtime::attention
