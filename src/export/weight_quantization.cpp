#include "weight_quantization.h"

#include <algorithm>
#include <cmath>

namespace fastintent::exporter {
namespace {

struct Params {
  float scale = 1;
  std::int32_t zero_point = 0;
};

Params ChooseParams(float low, float high, WeightType type) {
  Params params;
  if (type == WeightType::kS8) {
    const float bound = std::max(std::abs(low), std::abs(high));
    params.scale = bound > 0 ? bound / 127.0f : 1.0f;
    return params;
  }
  low = std::min(low, 0.0f);
  high = std::max(high, 0.0f);
  params.scale = high > low ? (high - low) / 255.0f : 1.0f;
  params.zero_point = static_cast<std::int32_t>(std::clamp(std::nearbyint(-low / params.scale), 0.0f, 255.0f));
  return params;
}

char QuantizeValue(float value, const Params& params, WeightType type) {
  const float q = std::nearbyint(value / params.scale) + static_cast<float>(params.zero_point);
  if (type == WeightType::kS8) return static_cast<char>(static_cast<std::int8_t>(std::clamp(q, -127.0f, 127.0f)));
  return static_cast<char>(static_cast<std::uint8_t>(std::clamp(q, 0.0f, 255.0f)));
}

}  // namespace

QuantizedMatrix QuantizeMatrix(const std::vector<float>& values, std::int64_t rows, std::int64_t cols, bool per_column,
                               WeightType type) {
  const auto r = static_cast<std::size_t>(rows);
  const auto c = static_cast<std::size_t>(cols);
  std::vector<Params> params;
  if (per_column) {
    std::vector<float> low(c, 0.0f), high(c, 0.0f);
    for (std::size_t i = 0; i < r; ++i) {
      for (std::size_t j = 0; j < c; ++j) {
        low[j] = std::min(low[j], values[i * c + j]);
        high[j] = std::max(high[j], values[i * c + j]);
      }
    }
    for (std::size_t j = 0; j < c; ++j) params.push_back(ChooseParams(low[j], high[j], type));
  } else {
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    params.push_back(values.empty() ? Params{} : ChooseParams(*low, *high, type));
  }
  QuantizedMatrix result;
  result.bytes.resize(r * c);
  for (std::size_t i = 0; i < r; ++i) {
    for (std::size_t j = 0; j < c; ++j) {
      result.bytes[i * c + j] = QuantizeValue(values[i * c + j], params[per_column ? j : 0], type);
    }
  }
  for (const Params& p : params) {
    result.scales.push_back(p.scale);
    result.zero_points.push_back(p.zero_point);
  }
  return result;
}

}  // namespace fastintent::exporter
