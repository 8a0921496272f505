// The attention kernel built for avx512 (flags in src/runtime/CMakeLists.txt); attention_kernel.cpp picks it at run time.
#define FASTINTENT_ATTENTION_NAMESPACE avx512
#include "attention_kernel_impl.inc"
