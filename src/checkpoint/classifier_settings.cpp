#include "fastintent/checkpoint/classifier_settings.h"

#include "fastintent/common/error.h"

namespace fastintent::checkpoint {

ClassifierSettings ReadClassifierSettings(const ConfigView& config, std::size_t label_count) {
  ClassifierSettings settings;
  settings.input_prefix = config.StringOr("fastintent_input_prefix", "");
  const std::string problem = config.StringOr("problem_type", "single_label_classification");
  if (problem != "single_label_classification" && problem != "multi_label_classification") {
    throw InvalidInput(config.Where("problem_type") + ": got \"" + problem +
                       "\", expected \"single_label_classification\" or \"multi_label_classification\"");
  }
  settings.multi_label = problem == "multi_label_classification";
  settings.temperature = config.NumberIn("fastintent_temperature", 0.01, 100);
  settings.fallback_threshold = config.NumberIn("fallback_threshold", 0, 1);
  settings.fallback_margin = config.NumberIn("fastintent_fallback_margin", 0, 1);
  if (const auto thresholds = config.Numbers("fastintent_label_thresholds")) {
    if (thresholds->size() != label_count) {
      throw InvalidInput(config.Where("fastintent_label_thresholds") + ": got " + std::to_string(thresholds->size()) +
                         " thresholds, expected one per label (" + std::to_string(label_count) + ")");
    }
    for (const double threshold : *thresholds) {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw InvalidInput(config.Where("fastintent_label_thresholds") + ": got " + std::to_string(threshold) +
                           ", expected probabilities in [0, 1]");
      }
    }
    settings.label_thresholds = *thresholds;
  }
  return settings;
}

std::vector<ConfigUpdate> ClassifierSettingsUpdates(const ClassifierSettings& s) {
  const auto optional = [](const std::optional<double>& value) -> ConfigValue {
    if (value) return *value;
    return std::monostate{};
  };
  std::vector<ConfigUpdate> updates;
  updates.push_back({"fastintent_input_prefix",
                     s.input_prefix.empty() ? ConfigValue(std::monostate{}) : ConfigValue(s.input_prefix)});
  updates.push_back(
      {"problem_type", std::string(s.multi_label ? "multi_label_classification" : "single_label_classification")});
  updates.push_back({"fastintent_temperature", optional(s.temperature)});
  updates.push_back({"fallback_threshold", optional(s.fallback_threshold)});
  updates.push_back({"fastintent_fallback_margin", optional(s.fallback_margin)});
  updates.push_back({"fastintent_label_thresholds",
                     s.label_thresholds.empty() ? ConfigValue(std::monostate{}) : ConfigValue(s.label_thresholds)});
  return updates;
}

}  // namespace fastintent::checkpoint
