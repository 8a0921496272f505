#pragma once
// Named sets of cells for a study (study.h). A grid is every combination of its axes; the seed article's study is
// one named preset whose groups keep the article's figure names, since they reproduce those figures.
#include <cstddef>
#include <string>
#include <vector>

#include "fastintent/bench/study.h"

namespace fastintent::bench {

// Every model x batch x input x padding, in that nesting order, all in `group`. An input is 0 for the phrase
// or a token count for the long text cut at that length (padding does not change such a cell, so it is made
// once, with the first padding).
struct GridAxes {
  std::string group = "grid";
  std::vector<std::string> models;
  std::vector<std::size_t> batches{1};
  std::vector<std::size_t> inputs{0};
  std::vector<Padding> paddings{Padding::kLongest};
  std::size_t max_length = 128;
};
std::vector<Cell> GridCells(const GridAxes& axes);

// The seed article's Figures 4-6: "figure4" every model at batch 1 on the phrase; "figure5" the sweep model at
// every batch size on the phrase; "figure6" the sweep model at batch 1 on the long text cut at every length.
struct ArticleFigures {
  std::vector<std::string> models;  // Figure 4
  std::string sweep_model = "rubert-tiny2";
  std::vector<int> figures{4, 5, 6};
  std::vector<Padding> paddings{Padding::kMaxLength, Padding::kLongest};
  std::size_t max_length = 128;
  std::vector<std::size_t> batch_sizes{1, 2, 4, 8, 16, 32, 64, 128};
  std::vector<std::size_t> lengths{16, 32, 64, 128, 256, 512};
};
// Throws InvalidInput for a figure other than 4, 5, 6.
std::vector<Cell> ArticleFigureCells(const ArticleFigures& preset);

// The article's protocol, for StudyConfig: 1 thread; the article timed 10,000 calls per cell after 100 warm-up
// calls (here: 5 rounds of 2,000 calls, 20 warm-up calls per visit).
void UseArticleProtocol(StudyConfig& config);

// Model directories (holding config.json) under `models_dir`: the seed article's four in its order first, then
// the rest alphabetically. Throws InvalidInput when the directory does not exist.
std::vector<std::string> DiscoverModels(const std::filesystem::path& models_dir);

}  // namespace fastintent::bench
