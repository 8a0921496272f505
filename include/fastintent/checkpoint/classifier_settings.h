#pragma once
// fastintent's own config.json keys of a classifier: how its texts are prepared and its logits turned into
// scores and an operator hand-off. Checkpoints (ModelConfig) and model directories (ModelDirectory) both carry
// them, read and written by the one pair of functions below.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/checkpoint/config_json.h"

namespace fastintent::checkpoint {

struct ClassifierSettings {
  std::string input_prefix;                  // "fastintent_input_prefix": prepended to every text (e5: "query: ")
  bool multi_label = false;                  // "problem_type": "multi_label_classification" (sigmoid per label)
  std::optional<double> temperature;         // "fastintent_temperature": scores use softmax(logits / T) (calibration)
  std::optional<double> fallback_threshold;  // "fallback_threshold": a top score under it goes to an operator
  std::optional<double> fallback_margin;     // "fastintent_fallback_margin": so do top two scores closer than it
  std::vector<double> label_thresholds;      // "fastintent_label_thresholds": multi-label, one per label
};

// Reads the keys above (absent keys keep the defaults). Throws InvalidInput naming the key for a value of the
// wrong type or range, an unknown problem_type, or label thresholds that are not one per label.
ClassifierSettings ReadClassifierSettings(const ConfigView& config, std::size_t label_count);

// The keys to write for `settings` (unset optionals and empty values remove their key), for UpdateConfigJson.
std::vector<ConfigUpdate> ClassifierSettingsUpdates(const ClassifierSettings& settings);

}  // namespace fastintent::checkpoint
