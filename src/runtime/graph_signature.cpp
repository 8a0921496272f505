#include "graph_signature.h"

#include "fastintent/common/error.h"

namespace fastintent::runtime {
namespace {

std::optional<InputRole> RoleOf(const std::string& name) {
  if (name == "input_ids") return InputRole::kInputIds;
  if (name == "attention_mask") return InputRole::kAttentionMask;
  if (name == "token_type_ids") return InputRole::kTokenTypeIds;
  return std::nullopt;
}

std::string ElementTypeName(ONNXTensorElementDataType type) {
  switch (type) {
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT:
      return "float32";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16:
      return "float16";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE:
      return "float64";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64:
      return "int64";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32:
      return "int32";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING:
      return "string";
    default:
      return "element type " + std::to_string(static_cast<int>(type));
  }
}

std::string ShapeText(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + (shape[i] < 0 ? std::string("?") : std::to_string(shape[i]));
  }
  return text + "]";
}

}  // namespace

std::string GraphSignature::DescribeInputs() const {
  std::string text;
  for (const auto& input : inputs) text += (text.empty() ? "" : ", ") + input.name;
  return text;
}

GraphSignature ReadGraphSignature(const Ort::Session& session, const std::string& model_file) {
  Ort::AllocatorWithDefaultOptions allocator;
  GraphSignature signature;
  bool has_ids = false;
  for (std::size_t i = 0; i < session.GetInputCount(); ++i) {
    GraphInput input;
    input.name = session.GetInputNameAllocated(i, allocator).get();
    const auto role = RoleOf(input.name);
    if (!role) {
      throw InvalidInput(model_file + ": model input '" + input.name +
                         "' is not supported; expected only input_ids, attention_mask, token_type_ids");
    }
    const Ort::TypeInfo type_info = session.GetInputTypeInfo(i);  // owns what `info` views
    const auto info = type_info.GetTensorTypeAndShapeInfo();
    const auto type = info.GetElementType();
    if (type != ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 && type != ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32) {
      throw InvalidInput(model_file + ": model input '" + input.name + "': got " + ElementTypeName(type) +
                         ", expected int64 or int32");
    }
    if (info.GetDimensionsCount() != 2) {
      throw InvalidInput(model_file + ": model input '" + input.name + "': got shape " + ShapeText(info.GetShape()) +
                         ", expected [batch, sequence]");
    }
    input.role = *role;
    input.int32 = type == ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32;
    has_ids = has_ids || input.role == InputRole::kInputIds;
    signature.has_attention_mask = signature.has_attention_mask || input.role == InputRole::kAttentionMask;
    signature.inputs.push_back(input);
  }
  if (!has_ids) {
    throw InvalidInput(model_file + ": the model has no 'input_ids' input (inputs: " + signature.DescribeInputs() +
                       ")");
  }

  const std::size_t output_count = session.GetOutputCount();
  std::vector<std::string> output_names;
  for (std::size_t i = 0; i < output_count; ++i) {
    output_names.push_back(session.GetOutputNameAllocated(i, allocator).get());
  }
  std::optional<std::size_t> chosen;
  if (output_count == 1) chosen = 0;
  for (const char* preferred : {"logits", "output"}) {
    for (std::size_t i = 0; i < output_count && !chosen; ++i) {
      if (output_names[i] == preferred) chosen = i;
    }
  }
  if (!chosen) {
    std::string names;
    for (const auto& name : output_names) names += (names.empty() ? "" : ", ") + name;
    throw InvalidInput(model_file + ": cannot tell which output holds the logits: got outputs [" + names +
                       "], expected one output or one named 'logits' or 'output'");
  }
  signature.output_name = output_names[*chosen];
  const Ort::TypeInfo type_info = session.GetOutputTypeInfo(*chosen);  // owns what `info` views
  const auto info = type_info.GetTensorTypeAndShapeInfo();
  if (info.GetElementType() != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
    throw InvalidInput(model_file + ": output '" + signature.output_name + "': got " +
                       ElementTypeName(info.GetElementType()) + ", expected float32 logits");
  }
  const auto shape = info.GetShape();
  if (shape.size() != 2) {
    throw InvalidInput(model_file + ": output '" + signature.output_name + "': got shape " + ShapeText(shape) +
                       ", expected [batch, labels]");
  }
  if (shape[1] > 0) signature.output_width = shape[1];
  return signature;
}

}  // namespace fastintent::runtime
