// `fastintent-torch bench-torch`: fastintent's libtorch BERT as a study runtime ("libtorch-fp32"), served over the
// runner protocol on stdin/stdout, so `fastintent bench study` (which never links libtorch) times it in a worker
// process like any peer (tools/peers/peers.json lists it).
#include <CLI/CLI.hpp>
#include <iostream>

#include "command_registry.h"
#include "fastintent/bench/torch_runner.h"
#include "fastintent/bench/worker.h"

namespace fastintent::cli {
namespace {

int RunBenchTorch(int argc, char** argv) {
  CLI::App app{"Serve the libtorch-fp32 runtime over the runner protocol on stdin/stdout (a study's worker process)",
               "fastintent bench-torch"};
  CLI11_PARSE(app, argc, argv);
  return bench::ServeRunnerProtocol(std::cin, std::cout, bench::MakeTorchRunnerFactory());
}

}  // namespace

FASTINTENT_COMMAND("bench-torch", "The libtorch-fp32 runtime as a bench worker (runner protocol on stdin/stdout)",
                   RunBenchTorch);

}  // namespace fastintent::cli
