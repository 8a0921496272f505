#pragma once
// Evaluates fp32 vs INT8 models of one model directory on a labelled file: runs both through the engine
// that serves them (fastintent_runtime, with its served token limit) and scores with fastintent_data's metrics.
#include <filesystem>

#include "fastintent/export/quantize.h"

namespace fastintent::exporter {

GateResult EvaluateGate(const std::filesystem::path& model_dir, const std::filesystem::path& fp32_model,
                        const std::filesystem::path& int8_model, const AccuracyGate& gate);

}  // namespace fastintent::exporter
