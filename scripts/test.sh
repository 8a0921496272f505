#!/usr/bin/env bash
# The README's test command: sets up (idempotent), builds, and runs every ctest label that CI runs,
# including the integration tests that start the real server on loopback and the browser test.
# Then runs the batcher tests under ThreadSanitizer, the unit tests and the fake-model HTTP suite under
# ASan+UBSan (clang), and the fuzz targets briefly in that same build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
build="${FASTINTENT_BUILD_DIR:-$root/build}"
jobs="${FASTINTENT_JOBS:-$(nproc)}"
# Label "slow" holds full-data runs (whole Banking77 pipelines, fixture regeneration); they are documented
# commands, not CI steps. Pass ctest arguments to choose otherwise (e.g. scripts/test.sh -L slow).
if (($#)); then
  ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 1500 "$@"
else
  ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 1500 -LE slow
fi
if [[ "${FASTINTENT_SKIP_TSAN:-0}" != 1 ]]; then
  bash scripts/tsan_tests.sh
fi
if [[ "${FASTINTENT_SKIP_ASAN:-0}" != 1 ]]; then
  bash scripts/asan_tests.sh
fi
if [[ "${FASTINTENT_SKIP_FUZZ:-0}" != 1 ]]; then
  bash scripts/fuzz_smoke.sh
fi
