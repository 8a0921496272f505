#pragma once
// Where a study's runtimes come from: fastintent's own engine in this process, and peers in worker processes
// that speak the runner protocol (worker.h) — Python stacks in their own virtual environments, or the
// libtorch binary. Only std types here.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "fastintent/bench/study.h"

namespace fastintent::bench {

// fastintent's engine (runtime::Classifier over ONNX Runtime, one session per truncation length, batches never
// split): "fastintent-fp32" runs model.onnx, "fastintent-int8" model_quantized.onnx, and "fastintent:FILE" any
// .onnx file inside the model directory (e.g. a peer's converted graph, to tell the engine from the graph).
bool IsEngineRuntime(const std::string& runtime);
RunnerFactory MakeEngineRunnerFactory();

// The peers' worker commands, read from a JSON file (tools/peers/peers.json):
//   {"root": "../..", "workers": [{"command": ["var/peers/ort/bin/python", "tools/peers/ort_worker.py"],
//                                  "runtimes": ["ort-python-fp32", ...], "about": "..."}]}
// A relative command element containing '/' is resolved against root (itself relative to the file). A runtime
// may also be {"name": N, "load_as": M}: listed as N, loaded in the worker as M (e.g. the engine's own
// "fastintent-fp32" in a `fastintent bench worker` process).
struct WorkerCommand {
  std::vector<std::string> argv;
  std::string about;
  std::string load_as;  // empty: the runtime's own name
};
struct PeerRegistry {
  std::filesystem::path file;
  std::map<std::string, WorkerCommand> runtimes;
};
// Throws InvalidInput / IoError naming the file and the offending entry.
PeerRegistry LoadPeerRegistry(const std::filesystem::path& file);

// One worker process per runner; its stderr is appended to `log_file` (empty: inherited).
RunnerFactory MakeWorkerRunnerFactory(const PeerRegistry& registry, const std::filesystem::path& log_file);

// The engine's runtimes, then the registry's; an unknown runtime is an InvalidInput listing the known ones.
RunnerFactory MakeRunnerFactory(const PeerRegistry& registry, const std::filesystem::path& worker_log);

}  // namespace fastintent::bench
