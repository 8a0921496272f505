// fastintent_export_bench: latency of exported models in the engine that serves them (ORT_ENABLE_ALL, 1 thread),
// for choosing the default graph and quantization. Models are timed in interleaved rounds so that machine load
// hits all of them alike. Synthetic token ids (fixed seed), no padding. Each MODEL.onnx lies in a model
// directory (config.json, tokenizer files), as `fastintent export` writes it.
//   fastintent_export_bench [--batch N] [--sequence N] [--rounds N] [--runs N] MODEL.onnx...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "fastintent/common/error.h"
#include "fastintent/runtime/classifier.h"

namespace runtime = fastintent::runtime;

int main(int argc, char** argv) {
  long batch = 1, sequence = 16, rounds = 15, runs = 20;
  std::vector<std::string> models;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() { return i + 1 < argc ? std::strtol(argv[++i], nullptr, 10) : 0L; };
    if (arg == "--batch")
      batch = value();
    else if (arg == "--sequence")
      sequence = value();
    else if (arg == "--rounds")
      rounds = value();
    else if (arg == "--runs")
      runs = value();
    else
      models.push_back(arg);
  }
  if (models.empty() || batch < 1 || sequence < 2 || rounds < 1 || runs < 1) {
    std::fprintf(stderr, "usage: %s [--batch N] [--sequence N] [--rounds N] [--runs N] MODEL.onnx...\n", argv[0]);
    return 2;
  }
  try {
    std::vector<runtime::PreparedText> tokens(static_cast<std::size_t>(batch));
    std::mt19937 generator(7);
    std::uniform_int_distribution<std::int64_t> id(1000, 20000);
    for (auto& text : tokens) {
      for (long s = 0; s < sequence; ++s) text.ids.push_back(s == 0 ? 101 : s + 1 == sequence ? 102 : id(generator));
      text.type_ids.assign(text.ids.size(), 0);
    }

    std::vector<std::shared_ptr<const runtime::Classifier>> sessions;
    for (const std::string& model : models) {
      runtime::ClassifierOptions options;
      options.model_file = std::filesystem::path(model);
      options.max_length = static_cast<std::size_t>(sequence);
      sessions.push_back(runtime::Classifier::Load(std::filesystem::path(model).parent_path(), options));
      for (int warmup = 0; warmup < 5; ++warmup) sessions.back()->LogitsPrepared(tokens);
    }
    std::vector<std::vector<double>> round_means(models.size());  // ms per run, one value per round
    for (long round = 0; round < rounds; ++round) {
      for (std::size_t m = 0; m < models.size(); ++m) {
        const auto start = std::chrono::steady_clock::now();
        for (long run = 0; run < runs; ++run) sessions[m]->LogitsPrepared(tokens);
        const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
        round_means[m].push_back(elapsed.count() / static_cast<double>(runs));
      }
    }
    std::printf("batch %ld, sequence %ld, %ld rounds x %ld runs, ORT_ENABLE_ALL, 1 thread\n", batch, sequence, rounds,
                runs);
    std::printf("%-10s %-10s %-10s model\n", "median_ms", "min_ms", "vs_first");
    double first = 0;
    for (std::size_t m = 0; m < models.size(); ++m) {
      auto values = round_means[m];
      std::sort(values.begin(), values.end());
      const double median = values[values.size() / 2];
      if (m == 0) first = median;
      std::printf("%-10.3f %-10.3f %-10.2f %s\n", median, values.front(), first / median, models[m].c_str());
    }
  } catch (const fastintent::Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
  return 0;
}
