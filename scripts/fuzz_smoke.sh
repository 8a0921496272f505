#!/usr/bin/env bash
# Builds the libFuzzer targets with clang under ASan+UBSan into build-fuzz/ and runs each one briefly
# (ctest label "fuzz"). Long runs: see docs/tokenizer.md#fuzzing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFASTINTENT_BUILD_FUZZ=ON -DFASTINTENT_WITH_TORCH=OFF -DFASTINTENT_WITH_EXPORT=OFF \
  -DFASTINTENT_SANITIZE="address;undefined" >/dev/null
targets=$(cmake --build "$build" --target help | sed -n 's/^\([a-z_]*_fuzz\):.*/\1/p' | sort -u)
if [[ -z "$targets" ]]; then
  echo "fuzz: no fuzz targets defined"
  exit 0
fi
cmake --build "$build" -j "${FASTINTENT_JOBS:-$(nproc)}" --target $targets
ctest --test-dir "$build" -L fuzz --output-on-failure
