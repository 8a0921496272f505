// The optimizer and schedule of the trainer, apart so that a test can run one step against transformers.
#pragma once
#include <torch/torch.h>

#include <cstddef>
#include <memory>
#include <string>

#include "sequence_classifier.h"

namespace fastintent::train {

// AdamW (eps 1e-8) with two parameter groups: weight decay on weights, none on biases and LayerNorm weights
// (names ending ".bias" or containing "LayerNorm"/"layer_norm"), as transformers' Trainer sets it up.
std::unique_ptr<torch::optim::AdamW> MakeAdamW(torch::nn::Module& module, double learning_rate, double weight_decay);

// transformers' get_linear_schedule_with_warmup: the learning rate of optimizer step `step` (0-based).
double LinearScheduleLearningRate(double peak, std::size_t step, std::size_t warmup_steps, std::size_t total_steps);

struct LossOptions {
  torch::Tensor class_weights;   // per class; undefined = unweighted
  double label_smoothing = 0.0;  // torch's cross_entropy label_smoothing (the same as transformers' Trainer)
  // Knowledge distillation (Hinton et al.): with the teacher's logits [batch, classes] given, the loss is
  //   alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T)) + (1 - alpha) * CE(labelled rows),
  // the T^2 keeping the soft term's gradients on the scale of the hard one. Rows whose `labelled` entry is
  // false (unlabelled in-domain texts) take the soft term only; a batch without labelled rows has no hard term.
  torch::Tensor teacher_logits;  // undefined = plain cross-entropy
  torch::Tensor labelled;        // bool [batch]; undefined = every row labelled
  double temperature = 2.0;
  double alpha = 0.5;
  // Multi-label: `labels` is a multi-hot float matrix [batch, classes] and the loss is binary cross-entropy
  // per label (mean over labels and rows).
  bool multi_label = false;
};

// The batch loss as `options` says (labels of unlabelled rows are ignored).
torch::Tensor BatchLoss(const torch::Tensor& logits, const torch::Tensor& labels, const LossOptions& options);

// One optimizer step on a batch whose `logits` the caller computed with autograd on (the whole model over the
// batch's tokens, or the head over frozen features): BatchLoss, backward, gradient norm clipping of the module's
// parameters (max_grad_norm 0 = off), AdamW step. Returns the batch loss.
double TrainingStep(torch::nn::Module& module, torch::optim::AdamW& optimizer, const torch::Tensor& logits,
                    const torch::Tensor& labels, const LossOptions& loss, double max_grad_norm);

// Sets every group's learning rate.
void SetLearningRate(torch::optim::AdamW& optimizer, double learning_rate);

}  // namespace fastintent::train
