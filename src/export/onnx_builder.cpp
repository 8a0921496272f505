#include "onnx_builder.h"

#include <cstring>

namespace fastintent::exporter {
namespace {

void SetAttribute(onnx::AttributeProto* proto, const Attribute& attribute) {
  proto->set_name(attribute.name);
  if (const auto* i = std::get_if<std::int64_t>(&attribute.value)) {
    proto->set_type(onnx::AttributeProto::INT);
    proto->set_i(*i);
  } else if (const auto* f = std::get_if<float>(&attribute.value)) {
    proto->set_type(onnx::AttributeProto::FLOAT);
    proto->set_f(*f);
  } else if (const auto* ints = std::get_if<std::vector<std::int64_t>>(&attribute.value)) {
    proto->set_type(onnx::AttributeProto::INTS);
    for (std::int64_t v : *ints) proto->add_ints(v);
  } else {
    proto->set_type(onnx::AttributeProto::STRING);
    proto->set_s(std::get<std::string>(attribute.value));
  }
}

void SetValueInfo(onnx::ValueInfoProto* info, const std::string& name, onnx::TensorProto_DataType type,
                  const std::vector<std::string>& dims) {
  info->set_name(name);
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(type);
  auto* shape = tensor->mutable_shape();
  for (const std::string& dim : dims) {
    auto* d = shape->add_dim();
    bool numeric = !dim.empty() && dim.find_first_not_of("0123456789") == std::string::npos;
    if (numeric)
      d->set_dim_value(std::stoll(dim));
    else
      d->set_dim_param(dim);
  }
}

}  // namespace

std::string OnnxBuilder::Unique(const std::string& hint) { return hint + "_" + std::to_string(counter_++); }

std::string OnnxBuilder::FloatInitializer(const std::string& name, const std::vector<std::int64_t>& dims,
                                          const std::vector<float>& values) {
  onnx::TensorProto* tensor = graph_->add_initializer();
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto::FLOAT);
  for (std::int64_t d : dims) tensor->add_dims(d);
  tensor->mutable_raw_data()->assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  return name;
}

std::string OnnxBuilder::Int64Initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                                          const std::vector<std::int64_t>& values) {
  onnx::TensorProto* tensor = graph_->add_initializer();
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto::INT64);
  for (std::int64_t d : dims) tensor->add_dims(d);
  for (std::int64_t v : values) tensor->add_int64_data(v);
  return name;
}

std::string OnnxBuilder::Op(const std::string& op_type, const std::vector<std::string>& inputs, const std::string& hint,
                            const std::vector<Attribute>& attributes, const std::string& domain) {
  return OpMulti(op_type, inputs, {hint}, attributes, domain).front();
}

std::vector<std::string> OnnxBuilder::OpMulti(const std::string& op_type, const std::vector<std::string>& inputs,
                                              const std::vector<std::string>& output_hints,
                                              const std::vector<Attribute>& attributes, const std::string& domain) {
  onnx::NodeProto* node = graph_->add_node();
  node->set_op_type(op_type);
  node->set_name(Unique(op_type));
  if (!domain.empty()) node->set_domain(domain);
  for (const std::string& input : inputs) node->add_input(input);
  std::vector<std::string> outputs;
  for (const std::string& hint : output_hints) {
    outputs.push_back(hint.empty() ? std::string() : Unique(hint));
    node->add_output(outputs.back());
  }
  for (const Attribute& attribute : attributes) SetAttribute(node->add_attribute(), attribute);
  return outputs;
}

void OnnxBuilder::RenameLastOutput(const std::string& name) {
  graph_->mutable_node(graph_->node_size() - 1)->set_output(0, name);
}

void OnnxBuilder::Input(const std::string& name, onnx::TensorProto_DataType type,
                        const std::vector<std::string>& dims) {
  SetValueInfo(graph_->add_input(), name, type, dims);
}

void OnnxBuilder::Output(const std::string& name, onnx::TensorProto_DataType type,
                         const std::vector<std::string>& dims) {
  SetValueInfo(graph_->add_output(), name, type, dims);
}

}  // namespace fastintent::exporter
