#include "worker_protocol.h"

#include "fastintent/common/error.h"

namespace fastintent::bench::detail {
namespace {

template <class T>
T Field(const nlohmann::json& request, const char* name) {
  const auto found = request.find(name);
  if (found == request.end()) throw InvalidInput(std::string("runner protocol: request lacks \"") + name + "\"");
  try {
    return found->get<T>();
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInput(std::string("runner protocol: field \"") + name + "\": " + e.what());
  }
}

}  // namespace

nlohmann::json LoadRequest(const RunnerSpec& spec) {
  return {{"op", "load"}, {"runtime", spec.runtime}, {"model_dir", spec.model_dir.string()}, {"threads", spec.threads}};
}

nlohmann::json PrepareRequest(const CellInput& input, Timing timing) {
  return {{"op", "prepare"},
          {"timing", TimingName(timing)},
          {"texts", input.texts},
          {"padding", PaddingName(input.padding)},
          {"max_length", input.max_length},
          {"batch", input.batch},
          {"sequence", input.sequence},
          {"input_ids", input.input_ids},
          {"attention_mask", input.attention_mask},
          {"token_type_ids", input.token_type_ids}};
}

nlohmann::json TimeRequest(std::size_t calls) { return {{"op", "time"}, {"calls", calls}}; }

RunnerSpec ParseLoadRequest(const nlohmann::json& request) {
  return RunnerSpec{Field<std::string>(request, "runtime"), Field<std::string>(request, "model_dir"),
                    Field<int>(request, "threads")};
}

CellInput ParsePrepareRequest(const nlohmann::json& request, Timing& timing) {
  timing = ParseTiming(Field<std::string>(request, "timing"));
  CellInput input;
  input.texts = Field<std::vector<std::string>>(request, "texts");
  input.padding = ParsePadding(Field<std::string>(request, "padding"));
  input.max_length = Field<std::size_t>(request, "max_length");
  input.batch = Field<std::size_t>(request, "batch");
  input.sequence = Field<std::size_t>(request, "sequence");
  input.input_ids = Field<std::vector<std::int64_t>>(request, "input_ids");
  input.attention_mask = Field<std::vector<std::int64_t>>(request, "attention_mask");
  input.token_type_ids = Field<std::vector<std::int64_t>>(request, "token_type_ids");
  return input;
}

std::size_t ParseTimeRequest(const nlohmann::json& request) { return Field<std::size_t>(request, "calls"); }

}  // namespace fastintent::bench::detail
