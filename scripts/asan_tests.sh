#!/usr/bin/env bash
# Builds the whole tree (without libtorch and ONNX export) with clang under AddressSanitizer + UBSan into
# build-fuzz/ and runs the unit tests and the fake-model HTTP integration suite there: out-of-bounds access,
# use after free, undefined behaviour and leaks (LeakSanitizer, at each process exit) fail the run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
source "$root/scripts/lib/asan_build.sh"
configure_asan_build "$root" "$build"
cmake --build "$build" -j "${FASTINTENT_JOBS:-$(nproc)}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan_suppressions.txt"
ctest --test-dir "$build" -L unit -j "${FASTINTENT_JOBS:-$(nproc)}" --output-on-failure
ctest --test-dir "$build" -R '^serve\.integration\.fake$' --output-on-failure
