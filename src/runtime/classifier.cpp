#include "fastintent/runtime/classifier.h"

#include "fastintent/checkpoint/model_directory.h"
#include "ensemble_classifier.h"
#include "ngram_engine.h"
#include "onnx_classifier.h"

namespace fastintent::runtime {

std::shared_ptr<const Classifier> Classifier::Load(const std::filesystem::path& model_dir,
                                                   const ClassifierOptions& options) {
  const checkpoint::ModelDirectory model = checkpoint::ReadModelDirectory(model_dir);
  switch (model.kind) {
    case checkpoint::ModelKind::kNgram:
      return std::make_shared<const NgramEngine>(model, options);
    case checkpoint::ModelKind::kEnsemble:
      return std::make_shared<const EnsembleClassifier>(model, options);
    case checkpoint::ModelKind::kTransformer:
      break;
  }
  return std::make_shared<const OnnxClassifier>(model, options);
}

}  // namespace fastintent::runtime
