// Built instead of ort_runner.cpp when the tree has no fastintent_runtime: the sweep cannot time the engine.
#include "fastintent/bench/study.h"
#include "fastintent/common/error.h"

namespace fastintent::bench {

bool HasOrtRunners() { return false; }

RunnerFactory MakeOrtRunnerFactory() {
  return [](const RunnerSpec& spec, std::string&) -> std::unique_ptr<Runner> {
    throw Error("bench: runtime '" + spec.runtime +
                "' needs the ONNX Runtime engine, but this build has no fastintent_runtime (src/runtime)");
  };
}

}  // namespace fastintent::bench
