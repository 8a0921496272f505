#include "fastintent/runtime/classifier.h"

#include "model_directory.h"
#include "onnx_classifier.h"

namespace fastintent::runtime {

std::shared_ptr<const Classifier> Classifier::Load(const std::filesystem::path& model_dir,
                                                   const ClassifierOptions& options) {
  return std::make_shared<const OnnxClassifier>(ReadModelDirectory(model_dir, options), options);
}

}  // namespace fastintent::runtime
