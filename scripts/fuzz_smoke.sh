#!/usr/bin/env bash
# Builds the libFuzzer targets with clang under ASan+UBSan into build-fuzz/ and runs each one briefly
# (ctest label "fuzz", fixed seeds). Long runs: see docs/tokenizer.md#fuzzing and docs/api.md#tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
source "$root/scripts/lib/asan_build.sh"
configure_asan_build "$root" "$build"
targets=$(cmake --build "$build" --target help | sed -n 's/^\([a-z_]*_fuzz\):.*/\1/p' | sort -u)
if [[ -z "$targets" ]]; then
  echo "fuzz: no fuzz targets defined"
  exit 0
fi
cmake --build "$build" -j "${FASTINTENT_JOBS:-$(nproc)}" --target $targets
ctest --test-dir "$build" -L fuzz --output-on-failure
