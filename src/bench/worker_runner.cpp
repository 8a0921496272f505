// Peers as study runtimes: one worker process per runner, spoken to with the runner protocol.
#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/bench/runners.h"
#include "fastintent/common/error.h"
#include "worker_process.h"
#include "worker_protocol.h"

namespace fastintent::bench {
namespace {

// A reply that is not {"ok": true, ...}: a skip (returned through `skip`) or an error (thrown).
nlohmann::json Exchange(detail::WorkerProcess& process, const nlohmann::json& request, std::string* skip = nullptr) {
  process.WriteLine(request.dump());
  const std::string line = process.ReadLine();
  nlohmann::json reply;
  try {
    reply = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    throw Error("worker '" + process.name() + "': reply is not JSON: " + line.substr(0, 200));
  }
  if (reply.value("ok", false)) return reply;
  if (skip != nullptr && reply.contains("skip")) {
    *skip = reply["skip"].get<std::string>();
    return reply;
  }
  throw Error("worker '" + process.name() + "' failed on '" + request.value("op", "?") +
              "': " + reply.value("error", line.substr(0, 300)));
}

class WorkerRunner final : public Runner {
 public:
  WorkerRunner(std::unique_ptr<detail::WorkerProcess> process, std::string configuration)
      : process_(std::move(process)), configuration_(std::move(configuration)) {}
  ~WorkerRunner() override {
    try {
      process_->WriteLine(R"({"op": "quit"})");
    } catch (const Error&) {  // already gone: the destructor of the process reaps it
    }
  }

  void Prepare(const CellInput& input, Timing timing) override {
    Exchange(*process_, detail::PrepareRequest(input, timing));
  }

  std::vector<double> TimeCalls(std::size_t calls) override {
    const auto reply = Exchange(*process_, detail::TimeRequest(calls));
    if (!reply.contains("ms") || !reply["ms"].is_array()) {
      throw Error("worker '" + process_->name() + "': time reply has no \"ms\" list");
    }
    return reply["ms"].get<std::vector<double>>();
  }

  std::vector<std::vector<float>> Logits() override {
    const auto reply = Exchange(*process_, {{"op", "logits"}});
    if (!reply.contains("logits") || !reply["logits"].is_array()) {
      throw Error("worker '" + process_->name() + "': logits reply has no \"logits\" list");
    }
    return reply["logits"].get<std::vector<std::vector<float>>>();
  }

  std::string Configuration() const override { return configuration_; }

 private:
  std::unique_ptr<detail::WorkerProcess> process_;
  std::string configuration_;
};

std::string Known(const PeerRegistry& registry) {
  std::string names = "fastintent-fp32, fastintent-int8, fastintent-ngram, fastintent:FILE";
  for (const auto& [name, command] : registry.runtimes) names += ", " + name;
  return names;
}

}  // namespace

PeerRegistry LoadPeerRegistry(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw IoError("cannot read the peer registry " + file.string());
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInput(file.string() + ": not JSON: " + e.what());
  }
  PeerRegistry registry;
  registry.file = file;
  const std::filesystem::path root = file.parent_path() / json.value("root", std::string("."));
  if (!json.contains("workers") || !json["workers"].is_array()) {
    throw InvalidInput(file.string() + ": expected a \"workers\" list");
  }
  for (const auto& worker : json["workers"]) {
    if (!worker.contains("command") || !worker["command"].is_array() || worker["command"].empty() ||
        !worker.contains("runtimes") || !worker["runtimes"].is_array()) {
      throw InvalidInput(file.string() +
                         ": each worker needs a non-empty \"command\" list and a \"runtimes\" list, got " +
                         worker.dump());
    }
    WorkerCommand command;
    command.about = worker.value("about", std::string());
    for (const auto& arg : worker["command"]) {
      const std::string text = arg.get<std::string>();
      const bool relative_path = text.find('/') != std::string::npos && text.front() != '/';
      // Normalized, not canonical: a virtual environment's bin/python is a symlink to the system interpreter,
      // and run through the resolved path it would not see the environment's packages.
      command.argv.push_back(relative_path ? std::filesystem::absolute(root / text).lexically_normal().string() : text);
    }
    for (const auto& runtime : worker["runtimes"]) {
      const bool aliased = runtime.is_object();
      if (!runtime.is_string() && !(aliased && runtime.contains("name") && runtime.contains("load_as"))) {
        throw InvalidInput(file.string() + ": a runtime is a name or {\"name\", \"load_as\"}, got " + runtime.dump());
      }
      const std::string name = aliased ? runtime["name"].get<std::string>() : runtime.get<std::string>();
      command.load_as = aliased ? runtime["load_as"].get<std::string>() : std::string();
      if (IsEngineRuntime(name) || !registry.runtimes.emplace(name, command).second) {
        throw InvalidInput(file.string() + ": runtime '" + name + "' is listed twice or is the engine's own");
      }
    }
  }
  return registry;
}

RunnerFactory MakeWorkerRunnerFactory(const PeerRegistry& registry, const std::filesystem::path& log_file) {
  return [registry, log_file](const RunnerSpec& spec, std::string& skip_reason) -> std::unique_ptr<Runner> {
    const auto found = registry.runtimes.find(spec.runtime);
    if (found == registry.runtimes.end()) {
      throw InvalidInput("bench: unknown runtime '" + spec.runtime + "'; known: " + Known(registry));
    }
    if (!std::filesystem::exists(found->second.argv.front()) &&
        found->second.argv.front().find('/') != std::string::npos) {
      skip_reason = found->second.argv.front() + " is not installed (tools/peers/setup_peers.sh)";
      return nullptr;
    }
    auto process = std::make_unique<detail::WorkerProcess>(found->second.argv, log_file);
    RunnerSpec load = spec;
    if (!found->second.load_as.empty()) load.runtime = found->second.load_as;
    const auto reply = Exchange(*process, detail::LoadRequest(load), &skip_reason);
    if (!skip_reason.empty()) return nullptr;
    return std::make_unique<WorkerRunner>(std::move(process), reply.value("configuration", found->second.about));
  };
}

RunnerFactory MakeRunnerFactory(const PeerRegistry& registry, const std::filesystem::path& worker_log) {
  RunnerFactory engine = MakeEngineRunnerFactory();
  RunnerFactory workers = MakeWorkerRunnerFactory(registry, worker_log);
  return [engine, workers](const RunnerSpec& spec, std::string& skip_reason) {
    return IsEngineRuntime(spec.runtime) ? engine(spec, skip_reason) : workers(spec, skip_reason);
  };
}

}  // namespace fastintent::bench
