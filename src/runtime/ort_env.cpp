#include "ort_env.h"

namespace fastintent::runtime {

Ort::Env& ProcessOrtEnv() {
  // Leaked on purpose: destroying the environment while another static (a cached classifier) still
  // holds a session would crash at exit.
  static Ort::Env* env = new Ort::Env(ORT_LOGGING_LEVEL_WARNING, "fastintent");
  return *env;
}

}  // namespace fastintent::runtime
