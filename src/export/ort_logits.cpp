#include "ort_logits.h"

#include <onnxruntime_cxx_api.h>

#include <string>

#include "fastintent/common/error.h"

namespace fastintent::exporter {

struct OrtLogits::Impl {
  Ort::Session session{nullptr};
  std::vector<std::string> input_names;
};

namespace {
Ort::Env& Environment() {
  static Ort::Env env(ORT_LOGGING_LEVEL_ERROR, "fastintent-export");
  return env;
}
}  // namespace

OrtLogits::OrtLogits(const std::filesystem::path& model_file, const OrtLogitsOptions& options)
    : impl_(std::make_unique<Impl>()) {
  Ort::SessionOptions session_options;
  session_options.SetIntraOpNumThreads(options.threads);
  session_options.SetInterOpNumThreads(1);
  session_options.SetGraphOptimizationLevel(options.optimize ? GraphOptimizationLevel::ORT_ENABLE_ALL
                                                             : GraphOptimizationLevel::ORT_DISABLE_ALL);
  try {
    impl_->session = Ort::Session(Environment(), model_file.c_str(), session_options);
  } catch (const Ort::Exception& error) {
    throw InvalidInput(model_file.string() + ": ONNX Runtime cannot load the model: " + error.what());
  }
  Ort::AllocatorWithDefaultOptions allocator;
  for (std::size_t i = 0; i < impl_->session.GetInputCount(); ++i) {
    impl_->input_names.emplace_back(impl_->session.GetInputNameAllocated(i, allocator).get());
  }
}

OrtLogits::~OrtLogits() = default;

std::vector<std::vector<float>> OrtLogits::Run(const TokenBatch& batch) const {
  const auto memory = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  const std::int64_t shape[2] = {batch.batch, batch.sequence};
  std::vector<Ort::Value> inputs;
  std::vector<const char*> names;
  for (const std::string& name : impl_->input_names) {
    const std::vector<std::int64_t>* source = nullptr;
    if (name == "input_ids") source = &batch.input_ids;
    else if (name == "attention_mask") source = &batch.attention_mask;
    else if (name == "token_type_ids") source = &batch.token_type_ids;
    else throw InvalidInput("model input \"" + name + "\": expected input_ids, attention_mask or token_type_ids");
    if (source->size() != static_cast<std::size_t>(batch.batch * batch.sequence)) {
      throw InvalidInput("input " + name + ": got " + std::to_string(source->size()) + " ids, expected " +
                         std::to_string(batch.batch * batch.sequence));
    }
    inputs.push_back(Ort::Value::CreateTensor<std::int64_t>(memory, const_cast<std::int64_t*>(source->data()),
                                                            source->size(), shape, 2));
    names.push_back(name.c_str());
  }
  const char* output_name = "logits";
  std::vector<Ort::Value> outputs;
  try {
    outputs = impl_->session.Run(Ort::RunOptions{nullptr}, names.data(), inputs.data(), inputs.size(), &output_name, 1);
  } catch (const Ort::Exception& error) {
    throw InvalidInput(std::string("ONNX Runtime failed to run the model: ") + error.what());
  }
  const auto output_shape = outputs[0].GetTensorTypeAndShapeInfo().GetShape();
  const float* data = outputs[0].GetTensorData<float>();
  std::vector<std::vector<float>> logits(static_cast<std::size_t>(output_shape[0]));
  for (std::size_t row = 0; row < logits.size(); ++row) {
    logits[row].assign(data + row * static_cast<std::size_t>(output_shape[1]),
                       data + (row + 1) * static_cast<std::size_t>(output_shape[1]));
  }
  return logits;
}

}  // namespace fastintent::exporter
