#!/usr/bin/env bash
# Configures and builds into build/ (warnings are errors here). Extra arguments go to cmake's configure.
# FASTINTENT_BUILD_DIR, FASTINTENT_JOBS override the defaults.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FASTINTENT_BUILD_DIR:-$root/build}"
jobs="${FASTINTENT_JOBS:-$(nproc)}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFASTINTENT_WERROR=ON "$@"
cmake --build "$build" -j "$jobs"
