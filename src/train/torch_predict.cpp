#include "fastintent/train/torch_predict.h"

#include <algorithm>
#include <cmath>

#include "fastintent/text/tokenizer.h"
#include "fastintent/train/torch_classifier.h"
#include "token_batches.h"

namespace fastintent::train {

TorchPredictions PredictWithTorch(const std::filesystem::path& model_dir, const std::vector<std::string>& texts,
                                  const TorchPredictOptions& options) {
  SetTorchThreads(options.threads);
  const auto model = TorchClassifier::Load(model_dir);
  const auto tokenizer = text::Tokenizer::Load(model_dir);
  const auto encoded = EncodeTexts(tokenizer, texts, options.max_length, options.threads,
                                   text::ModelInput::ForModel(model_dir, model.config().input_prefix));

  TorchPredictions result;
  result.labels = model.config().labels;
  result.class_ids.assign(texts.size(), 0);
  result.top_scores.assign(texts.size(), 0.0f);
  const std::size_t classes = model.num_labels();
  for (const auto& indices : MakeBatches(encoded, options.batch_size, nullptr)) {
    const auto logits = model.Logits(PadBatch(encoded, indices, tokenizer.pad_id()));
    for (std::size_t row = 0; row < indices.size(); ++row) {
      const float* first = logits.data() + row * classes;
      const auto best = std::max_element(first, first + classes) - first;
      double sum = 0;
      for (std::size_t c = 0; c < classes; ++c) sum += std::exp(static_cast<double>(first[c] - first[best]));
      result.class_ids[indices[row]] = static_cast<int>(best);
      result.top_scores[indices[row]] = static_cast<float>(1.0 / sum);
    }
  }
  return result;
}

}  // namespace fastintent::train
