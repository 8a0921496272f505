#pragma once
// Calibrated scores and the operator hand-off: temperature scaling (Guo et al., "On Calibration of Modern Neural
// Networks", 2017) fitted on a validation split, the expected calibration error, and the fallback policy that
// combines a probability threshold with a top-2 margin, chosen on validation for a target. Torch- and
// ONNX-free: every model kind's scores go through it.
#include <cstddef>
#include <optional>
#include <vector>

namespace fastintent::data {

// The temperature T > 0 that minimises the mean negative log-likelihood of softmax(logits / T) on labelled rows
// (`truth` = class ids). Searched in [0.05, 20] on 1/T, where the loss is convex. Throws InvalidInput for no
// rows or rows of different widths.
double FitTemperature(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth);

// Softmax of logits / temperature.
std::vector<float> SoftmaxWithTemperature(const std::vector<float>& logits, double temperature);

// Expected calibration error: over `bins` equal-width bins of the top score, the mean |accuracy - confidence|
// weighted by the bin's share of texts (the 15 bins of Guo et al. by default).
double ExpectedCalibrationError(const std::vector<float>& top_scores, const std::vector<bool>& correct,
                                std::size_t bins = 15);

// A text goes to an operator when its top score is under `threshold` or the top two scores are closer than
// `margin` (a mixed-intent phrase often has two close scores and a high top one).
struct FallbackPolicy {
  double threshold = 0;
  double margin = 0;
};
bool FallsBack(const FallbackPolicy& policy, float top, float second);

// What a policy does on labelled texts: the share handed over and the accuracy of the rest.
struct PolicyOutcome {
  FallbackPolicy policy;
  double fallback_rate = 0;
  double accuracy_of_rest = 0;
  double errors_caught = 0;  // share of the model's wrong answers that were handed over
};
// `top`/`second` are the two best scores per text, `correct` whether the top label was right.
PolicyOutcome ApplyPolicy(const FallbackPolicy& policy, const std::vector<float>& top, const std::vector<float>& second,
                          const std::vector<bool>& correct);

// The policy (threshold and margin on grids of 0.01) that hands over the fewest texts while the accuracy of the
// rest reaches `precision`; or, with `target_recall`, while at least that share of the model's errors is handed
// over. nullopt when no policy reaches the target. With `margin` false, only thresholds (margin 0).
std::optional<PolicyOutcome> ChoosePolicyForPrecision(double precision, const std::vector<float>& top,
                                                      const std::vector<float>& second,
                                                      const std::vector<bool>& correct, bool margin = true);
std::optional<PolicyOutcome> ChoosePolicyForRecall(double target_recall, const std::vector<float>& top,
                                                   const std::vector<float>& second, const std::vector<bool>& correct,
                                                   bool margin = true);

}  // namespace fastintent::data
