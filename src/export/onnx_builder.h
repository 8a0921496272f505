#pragma once
// A thin writer over onnx::GraphProto: unique value names, float/int64 initializers, nodes with attributes.
// Internal to fastintent_export (protobuf types stay out of the public headers).
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace fastintent::exporter {

struct Attribute {
  std::string name;
  std::variant<std::int64_t, float, std::vector<std::int64_t>, std::string> value;
};

inline constexpr const char* kMicrosoftDomain = "com.microsoft";

class OnnxBuilder {
 public:
  explicit OnnxBuilder(onnx::GraphProto* graph) : graph_(graph) {}

  // A fresh value name starting with `hint`.
  std::string Unique(const std::string& hint);

  std::string FloatInitializer(const std::string& name, const std::vector<std::int64_t>& dims,
                               const std::vector<float>& values);
  std::string Int64Initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                               const std::vector<std::int64_t>& values);
  std::string ScalarFloat(const std::string& hint, float value) { return FloatInitializer(Unique(hint), {}, {value}); }

  // Adds a node with one output (named from `hint`) and returns that output's name.
  std::string Op(const std::string& op_type, const std::vector<std::string>& inputs, const std::string& hint,
                 const std::vector<Attribute>& attributes = {}, const std::string& domain = "");
  // A node with several outputs; returns their names.
  std::vector<std::string> OpMulti(const std::string& op_type, const std::vector<std::string>& inputs,
                                   const std::vector<std::string>& output_hints,
                                   const std::vector<Attribute>& attributes = {}, const std::string& domain = "");

  // Renames the first output of the most recent node (e.g. to the graph output name "logits").
  void RenameLastOutput(const std::string& name);

  void Input(const std::string& name, onnx::TensorProto_DataType type, const std::vector<std::string>& dims);
  void Output(const std::string& name, onnx::TensorProto_DataType type, const std::vector<std::string>& dims);

  std::size_t node_count() const { return static_cast<std::size_t>(graph_->node_size()); }
  std::size_t initializer_count() const { return static_cast<std::size_t>(graph_->initializer_size()); }

 private:
  onnx::GraphProto* graph_;
  std::size_t counter_ = 0;
};

}  // namespace fastintent::exporter
