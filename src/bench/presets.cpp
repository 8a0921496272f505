#include "fastintent/bench/presets.h"

#include <algorithm>

#include "fastintent/common/error.h"

namespace fastintent::bench {

std::vector<Cell> GridCells(const GridAxes& axes) {
  std::vector<Cell> cells;
  if (axes.paddings.empty()) throw InvalidInput("bench: no padding given, expected max_length and/or longest");
  for (const auto& model : axes.models)
    for (std::size_t batch : axes.batches)
      for (std::size_t input : axes.inputs)
        for (Padding padding : axes.paddings) {
          cells.push_back(Cell{axes.group, model, batch, input, padding, input == 0 ? axes.max_length : input});
          if (input != 0) break;  // a cut text has no padding to choose
        }
  return cells;
}

std::vector<Cell> ArticleFigureCells(const ArticleFigures& preset) {
  std::vector<Cell> cells;
  for (int figure : preset.figures) {
    GridAxes axes;
    axes.group = "figure" + std::to_string(figure);
    axes.paddings = preset.paddings;
    axes.max_length = preset.max_length;
    if (figure == 4) {
      axes.models = preset.models;
    } else if (figure == 5) {
      axes.models = {preset.sweep_model};
      axes.batches = preset.batch_sizes;
    } else if (figure == 6) {
      axes.models = {preset.sweep_model};
      axes.inputs = preset.lengths;
    } else {
      throw InvalidInput("bench: figure " + std::to_string(figure) + " is not one of the article's figures 4, 5, 6");
    }
    const auto more = GridCells(axes);
    cells.insert(cells.end(), more.begin(), more.end());
  }
  return cells;
}

void UseArticleProtocol(StudyConfig& config) {
  config.threads = 1;
  config.rounds = 5;
  config.min_calls = 2000;
  config.max_calls = 2000;
  config.warmup = 20;
}

std::vector<std::string> DiscoverModels(const std::filesystem::path& models_dir) {
  if (!std::filesystem::is_directory(models_dir)) {
    throw InvalidInput("bench: models directory " + models_dir.string() +
                       " does not exist (make it with tools/bench/prepare_models.sh)");
  }
  static const std::vector<std::string> kSeedOrder = {"distilrubert-tiny-cased-conversational-5k",
                                                      "distilrubert-tiny-cased-conversational-v1", "rubert-tiny2",
                                                      "rubert-base-cased"};
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(models_dir)) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "config.json"))
      found.push_back(entry.path().filename().string());
  }
  auto rank = [&](const std::string& name) {
    const auto it = std::find(kSeedOrder.begin(), kSeedOrder.end(), name);
    return it == kSeedOrder.end() ? kSeedOrder.size() : static_cast<std::size_t>(it - kSeedOrder.begin());
  };
  std::sort(found.begin(), found.end(),
            [&](const std::string& a, const std::string& b) { return rank(a) != rank(b) ? rank(a) < rank(b) : a < b; });
  return found;
}

}  // namespace fastintent::bench
