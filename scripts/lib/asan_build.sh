# Sourced by scripts/asan_tests.sh and scripts/fuzz_smoke.sh: the one clang ASan+UBSan build directory
# (build-fuzz/, fuzz targets included; no libtorch, no ONNX export).
# configure_asan_build ROOT BUILD_DIR
configure_asan_build() {
  CC=clang CXX=clang++ cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFASTINTENT_BUILD_FUZZ=ON -DFASTINTENT_WITH_TORCH=OFF -DFASTINTENT_WITH_EXPORT=OFF \
    -DFASTINTENT_SANITIZE="address;undefined" >/dev/null
}
