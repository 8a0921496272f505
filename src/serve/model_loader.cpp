#include "fastintent/serve/server.h"

namespace fastintent::serve {

ModelLoader DefaultModelLoader() {
  return [](const std::filesystem::path& dir, const runtime::ClassifierOptions& options) {
    return runtime::Classifier::Load(dir, options);
  };
}

}  // namespace fastintent::serve
