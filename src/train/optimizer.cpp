#include "optimizer.h"

#include <algorithm>
#include <vector>

namespace fastintent::train {
namespace {

bool DecayApplies(const std::string& name) {
  const bool bias = name.size() >= 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
  const bool norm = name.find("LayerNorm") != std::string::npos || name.find("layer_norm") != std::string::npos;
  return !bias && !norm;
}

}  // namespace

std::unique_ptr<torch::optim::AdamW> MakeAdamW(torch::nn::Module& module, double learning_rate, double weight_decay) {
  using torch::optim::AdamWOptions;
  std::vector<torch::Tensor> decay, no_decay;
  for (auto& item : module.named_parameters(/*recurse=*/true)) {
    (DecayApplies(item.key()) ? decay : no_decay).push_back(item.value());
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay,
                      std::make_unique<AdamWOptions>(AdamWOptions(learning_rate).weight_decay(weight_decay).eps(1e-8)));
  groups.emplace_back(no_decay,
                      std::make_unique<AdamWOptions>(AdamWOptions(learning_rate).weight_decay(0.0).eps(1e-8)));
  return std::make_unique<torch::optim::AdamW>(std::move(groups), AdamWOptions(learning_rate));
}

double LinearScheduleLearningRate(double peak, std::size_t step, std::size_t warmup_steps, std::size_t total_steps) {
  if (step < warmup_steps) return peak * static_cast<double>(step) / static_cast<double>(warmup_steps);
  const double remaining = static_cast<double>(total_steps - std::min(step, total_steps));
  return peak * remaining / static_cast<double>(std::max<std::size_t>(1, total_steps - warmup_steps));
}

torch::Tensor BatchLoss(const torch::Tensor& logits, const torch::Tensor& labels, const LossOptions& loss_options) {
  if (loss_options.multi_label) return torch::nn::functional::binary_cross_entropy_with_logits(logits, labels);
  auto options = torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(loss_options.label_smoothing);
  if (loss_options.class_weights.defined()) options.weight(loss_options.class_weights);
  if (!loss_options.teacher_logits.defined()) return torch::nn::functional::cross_entropy(logits, labels, options);

  const double t = loss_options.temperature;
  const auto student = torch::log_softmax(logits / t, -1);
  const auto teacher = torch::softmax(loss_options.teacher_logits / t, -1);
  // KL per row, then the batch mean (kl_div's "batchmean").
  const auto soft = (teacher * (torch::log(teacher.clamp_min(1e-12)) - student)).sum(-1).mean() * (t * t);
  const torch::Tensor labelled =
      loss_options.labelled.defined() ? loss_options.labelled : torch::ones({logits.size(0)}, torch::kBool);
  if (!labelled.any().item<bool>()) return soft;
  const auto rows = labelled.nonzero().squeeze(1);
  const auto hard =
      torch::nn::functional::cross_entropy(logits.index_select(0, rows), labels.index_select(0, rows), options);
  return loss_options.alpha * soft + (1.0 - loss_options.alpha) * hard;
}

double TrainingStep(torch::nn::Module& module, torch::optim::AdamW& optimizer, const torch::Tensor& logits,
                    const torch::Tensor& labels, const LossOptions& loss_options, double max_grad_norm) {
  auto loss = BatchLoss(logits, labels, loss_options);
  optimizer.zero_grad();
  loss.backward();
  if (max_grad_norm > 0) torch::nn::utils::clip_grad_norm_(module.parameters(), max_grad_norm);
  optimizer.step();
  return loss.item<double>();
}

void SetLearningRate(torch::optim::AdamW& optimizer, double learning_rate) {
  for (auto& group : optimizer.param_groups()) {
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(learning_rate);
  }
}

}  // namespace fastintent::train
