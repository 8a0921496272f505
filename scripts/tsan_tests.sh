#!/usr/bin/env bash
# Builds the concurrency-critical pieces under ThreadSanitizer into build-tsan/ and runs their tests
# (the server's dynamic batcher; it is built without ONNX Runtime and HTTP so TSan sees only our code).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-tsan"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFASTINTENT_SANITIZE=thread \
  -DFASTINTENT_WITH_TORCH=OFF -DFASTINTENT_WITH_EXPORT=OFF >/dev/null
cmake --build "$build" -j "${FASTINTENT_JOBS:-$(nproc)}" --target fastintent_serve_batcher_test
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --test-dir "$build" -R '^serve\.Batcher' --output-on-failure
