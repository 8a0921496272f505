#include "fastintent/runtime/classifier.h"

#include "model_directory.h"
#include "ngram_engine.h"
#include "onnx_classifier.h"

namespace fastintent::runtime {

std::shared_ptr<const Classifier> Classifier::Load(const std::filesystem::path& model_dir,
                                                   const ClassifierOptions& options) {
  const ModelDirectory model = ReadModelDirectory(model_dir, options);
  if (model.kind == ModelKind::kNgram) return std::make_shared<const NgramEngine>(model);
  return std::make_shared<const OnnxClassifier>(model, options);
}

}  // namespace fastintent::runtime
