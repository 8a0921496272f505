#pragma once
// The one Ort::Env of the process. ONNX Runtime wants a single environment shared by all sessions
// (it owns the logging and the global thread pools); creating it lazily here keeps that rule in one place.
#include <onnxruntime_cxx_api.h>

namespace fastintent::runtime {

// Created on first use (thread-safe), lives until the process exits.
Ort::Env& ProcessOrtEnv();

}  // namespace fastintent::runtime
