// Times the native attention kernel alone (not a test; docs/benchmarks.md run 5 quotes it):
//   attention_kernel_bench BATCH LENGTH HIDDEN HEADS
// Three layers' worth of distinct Q/K/V buffers are cycled, so the data is as cold as a model's projections
// leave it; prints the median per layer over 40 repetitions and the instruction set used.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "attention/attention_kernel.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s BATCH LENGTH HIDDEN HEADS\n", argv[0]);
    return 2;
  }
  const std::size_t batch = std::strtoul(argv[1], nullptr, 10), length = std::strtoul(argv[2], nullptr, 10);
  const std::size_t hidden = std::strtoul(argv[3], nullptr, 10), heads = std::strtoul(argv[4], nullptr, 10);
  if (batch == 0 || length == 0 || heads == 0 || hidden % heads != 0) {
    std::fprintf(stderr, "expected positive sizes and HIDDEN a multiple of HEADS\n");
    return 2;
  }
  namespace attention = fastintent::runtime::attention;
  const attention::AttentionShape shape{batch, length, heads, hidden / heads,
                                        1.0f / std::sqrt(static_cast<float>(hidden / heads))};
  constexpr int kLayers = 3;
  std::mt19937 generator(1);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<std::vector<float>> q(kLayers, std::vector<float>(batch * length * hidden)), k = q, v = q, out = q;
  for (auto* set : {&q, &k, &v}) {
    for (auto& layer : *set) {
      for (float& x : layer) x = normal(generator);
    }
  }
  const std::vector<float> mask(batch * length, 0.0f);
  std::vector<double> per_layer_ms;
  for (int repetition = 0; repetition < 40; ++repetition) {
    const auto start = std::chrono::steady_clock::now();
    for (int layer = 0; layer < kLayers; ++layer) {
      attention::AttendHeads(shape, q[layer].data(), k[layer].data(), v[layer].data(), mask.data(), out[layer].data(),
                             0, batch * heads);
    }
    per_layer_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
                           kLayers);
  }
  std::sort(per_layer_ms.begin(), per_layer_ms.end());
  std::printf("%s: batch %zu x %zu tokens, hidden %zu, %zu heads: median %.3f ms per layer\n", attention::AttentionIsa(),
              batch, length, hidden, heads, per_layer_ms[per_layer_ms.size() / 2]);
  return 0;
}
