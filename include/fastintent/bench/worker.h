#pragma once
// The worker side of the runner protocol (src/bench/worker_protocol.h) for runtimes built into our own binaries:
// `fastintent bench worker` serves the engine's runtimes and `fastintent-torch bench-torch` the libtorch one, so a
// study in the main binary can time them in another process exactly like a Python peer.
#include <istream>
#include <ostream>

#include "fastintent/bench/study.h"

namespace fastintent::bench {

// Reads requests from `in` until "quit" or end of input, one runner at a time (a new "load" replaces it). Errors
// are replied, not thrown, so a study sees them with the request that caused them. Returns 0.
int ServeRunnerProtocol(std::istream& in, std::ostream& out, const RunnerFactory& factory);

}  // namespace fastintent::bench
