// The attention kernel built for any x86-64 CPU (SSE2) (flags in src/runtime/CMakeLists.txt); attention_kernel.cpp picks it at run time.
#define FASTINTENT_ATTENTION_NAMESPACE generic
#include "attention_kernel_impl.inc"
