#include "ort_env.h"

#include <cstdlib>

namespace fastintent::runtime {

Ort::Env& ProcessOrtEnv() {
  // Leaked on purpose: destroying the environment while another static (a cached classifier) still
  // holds a session would crash at exit.
  static Ort::Env* env = [] {
    // ONNX Runtime's release builds send usage telemetry and write a device id under $HOME by default, as
    // soon as the environment is created; a server on a read-only root or behind a closed network must do
    // neither. Its documented switch is this variable (read at creation), set unless the user set it.
    ::setenv("ORT_DISABLE_TELEMETRY", "1", /*overwrite=*/0);
    auto* created = new Ort::Env(ORT_LOGGING_LEVEL_WARNING, "fastintent");
    created->DisableTelemetryEvents();
    return created;
  }();
  return *env;
}

}  // namespace fastintent::runtime
