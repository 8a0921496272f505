#pragma once
// The runner protocol between a study and a worker process: one JSON object per line, request then reply.
//   {"op": "load", "runtime": R, "model_dir": D, "threads": N}       -> {"ok": true, "configuration": "..."}
//   {"op": "prepare", "timing": "end-to-end" | "model-only", "texts": [...], "padding": "longest",
//    "max_length": M, "batch": B, "sequence": S, "input_ids": [B*S], "attention_mask": [...],
//    "token_type_ids": [...]}                                         -> {"ok": true}
//   {"op": "time", "calls": N}                                        -> {"ok": true, "ms": [N numbers]}
//   {"op": "logits"}                          -> {"ok": true, "logits": [[...] per row]} (one untimed call)
//   {"op": "quit"}                                                    -> (the worker exits)
// A failure is {"ok": false, "error": "..."}; a load the worker cannot do for this model (a converted file
// is missing) is {"ok": false, "skip": "..."}. tools/peers/worker_protocol.py is the Python side.
#include <nlohmann/json.hpp>

#include "fastintent/bench/study.h"

namespace fastintent::bench::detail {

nlohmann::json LoadRequest(const RunnerSpec& spec);
nlohmann::json PrepareRequest(const CellInput& input, Timing timing);
nlohmann::json TimeRequest(std::size_t calls);

// The server side; throw InvalidInput naming a missing or mistyped field.
RunnerSpec ParseLoadRequest(const nlohmann::json& request);
CellInput ParsePrepareRequest(const nlohmann::json& request, Timing& timing);
std::size_t ParseTimeRequest(const nlohmann::json& request);

}  // namespace fastintent::bench::detail
