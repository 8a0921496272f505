#pragma once
// What a training run leaves beside the checkpoint: metrics.json (options + per-epoch metrics) and
// learning_curve.svg (train/valid loss and valid F1 macro per epoch).
#include <filesystem>
#include <string>
#include <vector>

#include "fastintent/train/trainer.h"

namespace fastintent::train {

void WriteMetricsJson(const TrainReport& report, const TrainOptions& options, const std::filesystem::path& file);

// Returns the SVG document (a self-contained image, no scripts or external fonts).
std::string LearningCurveSvg(const std::vector<EpochMetrics>& epochs);

}  // namespace fastintent::train
