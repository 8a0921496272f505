#pragma once
// Linear INT8 quantization of a float matrix [rows, cols], per tensor or per column (= output channel of a
// MatMul weight). Signed: symmetric, zero point 0, range [-127, 127] (so the u8s8 kernels never saturate).
// Unsigned: asymmetric over [min(0, w), max(0, w)], range [0, 255]. Rounding is to nearest even, as numpy.
#include <cstdint>
#include <string>
#include <vector>

#include "fastintent/export/quantize.h"

namespace fastintent::exporter {

struct QuantizedMatrix {
  std::string bytes;                      // rows * cols int8 or uint8 values, row-major
  std::vector<float> scales;              // 1 or cols
  std::vector<std::int32_t> zero_points;  // same count as scales
};

QuantizedMatrix QuantizeMatrix(const std::vector<float>& values, std::int64_t rows, std::int64_t cols, bool per_column,
                               WeightType type);

}  // namespace fastintent::exporter
