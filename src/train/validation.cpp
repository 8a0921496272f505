#include "validation.h"

#include <algorithm>

#include "fastintent/data/metrics.h"
#include "fastintent/data/multi_label.h"

namespace fastintent::train {

torch::Tensor Targets(const std::vector<EncodedExample>& examples, const std::vector<std::size_t>& indices,
                      bool multi_label, std::size_t classes) {
  const auto rows = static_cast<std::int64_t>(indices.size());
  if (multi_label) {
    auto targets = torch::zeros({rows, static_cast<std::int64_t>(classes)}, torch::kFloat);
    for (std::int64_t row = 0; row < rows; ++row) {
      for (const int id : examples[indices[static_cast<std::size_t>(row)]].label_set) targets[row][id] = 1.0f;
    }
    return targets;
  }
  auto labels = torch::empty({rows}, torch::kLong);
  for (std::int64_t row = 0; row < rows; ++row) {
    labels[row] = std::max(examples[indices[static_cast<std::size_t>(row)]].label, 0);  // unlabelled: masked out
  }
  return labels;
}

ValidationResult Validate(SequenceClassifierModule& module, const std::vector<EncodedExample>& examples,
                          const BatchLogits& batch_logits, const std::vector<std::string>& labels,
                          std::size_t batch_size, const torch::Tensor& class_weights, bool multi_label) {
  torch::NoGradGuard no_grad;
  module.eval();
  ValidationResult result;
  result.logits.resize(examples.size());
  double loss_sum = 0, weight_sum = 0;
  for (const auto& indices : MakeBatches(examples, batch_size, nullptr)) {
    const auto logits = batch_logits(indices);
    const auto target = Targets(examples, indices, multi_label, labels.size());
    if (multi_label) {
      loss_sum +=
          torch::nn::functional::binary_cross_entropy_with_logits(
              logits, target, torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kSum))
              .item<double>() /
          static_cast<double>(labels.size());
      weight_sum += static_cast<double>(indices.size());
    } else {
      auto options = torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum);
      if (class_weights.defined()) options.weight(class_weights);
      loss_sum += torch::nn::functional::cross_entropy(logits, target, options).item<double>();
      weight_sum += class_weights.defined() ? class_weights.index_select(0, target).sum().item<double>()
                                            : static_cast<double>(indices.size());
    }
    const auto rows = logits.contiguous();
    for (std::size_t i = 0; i < indices.size(); ++i) {
      const float* row = rows[static_cast<std::int64_t>(i)].data_ptr<float>();
      result.logits[indices[i]].assign(row, row + labels.size());
    }
  }
  result.loss = weight_sum > 0 ? loss_sum / weight_sum : 0.0;

  if (multi_label) {
    std::vector<std::vector<float>> probabilities;
    std::vector<std::vector<int>> truth;
    for (std::size_t e = 0; e < examples.size(); ++e) {
      std::vector<float> p;
      for (const float z : result.logits[e]) p.push_back(1.0f / (1.0f + std::exp(-z)));
      probabilities.push_back(std::move(p));
      truth.push_back(examples[e].label_set);
    }
    result.label_thresholds = data::ChooseLabelThresholds(probabilities, truth);
    std::vector<std::vector<int>> predicted(examples.size());
    for (std::size_t e = 0; e < examples.size(); ++e) {
      for (std::size_t c = 0; c < labels.size(); ++c) {
        if (probabilities[e][c] >= result.label_thresholds[c]) predicted[e].push_back(static_cast<int>(c));
      }
    }
    const auto metrics = data::ComputeMultiLabelMetrics(labels, truth, predicted);
    result.accuracy = metrics.subset_accuracy;
    result.f1_macro = metrics.macro_f1;
    result.f1_micro = metrics.micro_f1;
    return result;
  }
  std::vector<int> predicted;
  for (std::size_t e = 0; e < examples.size(); ++e) {
    const auto& z = result.logits[e];
    predicted.push_back(static_cast<int>(std::max_element(z.begin(), z.end()) - z.begin()));
    result.truth.push_back(examples[e].label);
  }
  const auto metrics = data::ComputeMetrics(labels, result.truth, predicted);
  result.accuracy = metrics.accuracy;
  result.f1_macro = metrics.f1_macro;
  result.f1_weighted = metrics.f1_weighted;
  return result;
}

}  // namespace fastintent::train
