#include <nlohmann/json.hpp>
#include <string>

#include "fastintent/bench/worker.h"
#include "fastintent/common/error.h"
#include "worker_protocol.h"

namespace fastintent::bench {

int ServeRunnerProtocol(std::istream& in, std::ostream& out, const RunnerFactory& factory) {
  std::unique_ptr<Runner> runner;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json reply = {{"ok", true}};
    try {
      const auto request = nlohmann::json::parse(line);
      const std::string op = request.value("op", "");
      if (op == "quit") break;
      if (op == "load") {
        runner.reset();
        std::string skip;
        runner = factory(detail::ParseLoadRequest(request), skip);
        if (!runner) {
          reply = {{"ok", false}, {"skip", skip.empty() ? "runtime not available" : skip}};
        } else {
          reply["configuration"] = runner->Configuration();
        }
      } else if (!runner) {
        reply = {{"ok", false}, {"error", "no runtime loaded; send \"load\" first"}};
      } else if (op == "prepare") {
        Timing timing = Timing::kEndToEnd;
        const CellInput input = detail::ParsePrepareRequest(request, timing);
        runner->Prepare(input, timing);
      } else if (op == "time") {
        reply["ms"] = runner->TimeCalls(detail::ParseTimeRequest(request));
      } else if (op == "logits") {
        reply["logits"] = runner->Logits();
      } else {
        reply = {{"ok", false}, {"error", "unknown op '" + op + "', expected load, prepare, time, logits or quit"}};
      }
    } catch (const std::exception& e) {  // nlohmann parse errors and ours alike go back to the study
      reply = {{"ok", false}, {"error", e.what()}};
    }
    out << reply.dump() << '\n' << std::flush;
  }
  return 0;
}

}  // namespace fastintent::bench
