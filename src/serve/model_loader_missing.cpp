// Compiled when the build has no fastintent_runtime library (src/serve/CMakeLists.txt): the server still
// builds and explains why it cannot load a model.
#include "fastintent/common/error.h"
#include "fastintent/serve/server.h"

namespace fastintent::serve {

ModelLoader DefaultModelLoader() {
  return [](const std::filesystem::path& dir, const runtime::ClassifierOptions&)
             -> std::shared_ptr<const runtime::Classifier> {
    throw Error("cannot load " + dir.string() + ": this build has no ONNX Runtime engine (fastintent_runtime)");
  };
}

}  // namespace fastintent::serve
