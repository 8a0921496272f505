// tokenizer_speed TOKENIZER CORPUS_FILE [RUNS]: single-thread encode throughput of fastintent_text, one text
// at a time and as one batch, excluding process start and file reading. Prints one JSON object:
// {"lines", "tokens", "runs", "single_seconds": [...], "batch_seconds": [...], "median_single", "median_batch"}.
// Options match tools/tokenizer/compare_speed.py: no truncation, no padding, ids only.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fastintent/common/error.h"
#include "fastintent/text/tokenizer.h"

namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

std::string Join(const std::vector<double>& v) {
  std::string s;
  for (double x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
  return "[" + s + "]";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s TOKENIZER CORPUS_FILE [RUNS]\n", argv[0]);
    return 2;
  }
  try {
    const auto tokenizer = fastintent::text::Tokenizer::Load(argv[1]);
    std::ifstream in(argv[2], std::ios::binary);
    if (!in) throw fastintent::IoError(std::string("cannot open ") + argv[2]);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
    fastintent::text::EncodeOptions options;
    options.truncation = false;
    options.padding = fastintent::text::PaddingStrategy::kNone;
    std::size_t tokens = 0;
    std::vector<double> single;
    std::vector<double> batch;
    for (int r = 0; r < runs; ++r) {
      std::size_t count = 0;
      const auto t0 = std::chrono::steady_clock::now();
      for (const std::string& line : lines) count += tokenizer.Encode(line, options).ids.size();
      const auto t1 = std::chrono::steady_clock::now();
      const auto encodings = tokenizer.EncodeBatch(lines, options, 1);
      const auto t2 = std::chrono::steady_clock::now();
      tokens = count;
      single.push_back(std::chrono::duration<double>(t1 - t0).count());
      batch.push_back(std::chrono::duration<double>(t2 - t1).count());
      if (encodings.size() != lines.size()) return 1;
    }
    std::printf(
        "{\"lines\": %zu, \"tokens\": %zu, \"runs\": %d, \"single_seconds\": %s, \"batch_seconds\": %s, "
        "\"median_single\": %f, \"median_batch\": %f}\n",
        lines.size(), tokens, runs, Join(single).c_str(), Join(batch).c_str(), Median(single), Median(batch));
    return 0;
  } catch (const fastintent::Error& e) {
    std::fprintf(stderr, "tokenizer_speed: %s\n", e.what());
    return 1;
  }
}
