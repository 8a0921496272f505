// Rewrites an fp32 ONNX classifier for dynamic INT8 inference with ONNX Runtime's CPU kernels:
//   MatMul(A, W) [+ Add(bias)]          -> com.microsoft DynamicQuantizeMatMul(A, Wq, scale, zero_point, bias)
//   com.microsoft Attention(x, W, b, m) -> DynamicQuantizeLinear(x) -> com.microsoft QAttention
//   Gather(float table, ids)            -> Gather(uint8 table, ids) -> DequantizeLinear   (--quantize-embeddings)
// DynamicQuantizeMatMul quantizes A to uint8 per run and calls MLAS's u8s8/u8u8 GEMM (AVX-512 VNNI here),
// and adds the bias in the same kernel: one node where the MatMulInteger form needs five (see docs/quantization.md).
// Only MatMuls whose weight is a 2-D float initializer are touched; the attention score MatMuls stay float.
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <set>

#include "fastintent/common/error.h"
#include "fastintent/export/quantize.h"
#include "onnx_builder.h"
#include "weight_quantization.h"

namespace fastintent::exporter {
namespace {

struct FloatInitializer {
  std::vector<std::int64_t> dims;
  std::vector<float> values;
};

class Rewriter {
 public:
  Rewriter(onnx::ModelProto& model, const QuantizeOptions& options) : model_(model), options_(options) {
    onnx::GraphProto& graph = *model_.mutable_graph();
    for (int i = 0; i < graph.initializer_size(); ++i) initializers_[graph.initializer(i).name()] = i;
    for (const onnx::NodeProto& node : graph.node()) {
      for (const std::string& input : node.input()) ++uses_[input];
    }
    for (const onnx::ValueInfoProto& output : graph.output()) ++uses_[output.name()];
  }

  QuantizeSummary Run() {
    onnx::GraphProto& graph = *model_.mutable_graph();
    std::vector<onnx::NodeProto> rewritten;
    std::set<int> skipped;  // Add nodes folded into the MatMul before them
    for (int i = 0; i < graph.node_size(); ++i) {
      if (skipped.count(i) != 0) continue;
      const onnx::NodeProto& node = graph.node(i);
      const bool weighted = node.input_size() >= 2 && IsWeight(node.input(1), 2);
      if (weighted && KeptFloat(node.input(1)) &&
          ((node.op_type() == "MatMul" && node.domain().empty()) ||
           (node.op_type() == "Attention" && node.domain() == kMicrosoftDomain))) {
        rewritten.push_back(node);
        ++summary_.kept_float;
      } else if (node.op_type() == "MatMul" && node.domain().empty() && IsWeight(node.input(1), 2)) {
        RewriteMatMul(i, rewritten, skipped);
      } else if (node.op_type() == "Attention" && node.domain() == kMicrosoftDomain && node.input_size() >= 3 &&
                 node.input_size() <= 4 && IsWeight(node.input(1), 2)) {
        RewriteAttention(node, rewritten);
      } else if (options_.quantize_embeddings && node.op_type() == "Gather" && node.domain().empty() &&
                 IsWeight(node.input(0), 2)) {
        RewriteGather(node, rewritten);
      } else {
        if (options_.quantize_embeddings && node.op_type() == "EmbedLayerNormalization") {
          throw InvalidInput(
              "--quantize-embeddings: this graph looks embeddings up in a fused "
              "EmbedLayerNormalization, which needs float tables; export it with --plain");
        }
        rewritten.push_back(node);
      }
    }
    graph.clear_node();
    for (onnx::NodeProto& node : rewritten) *graph.add_node() = std::move(node);
    DropReplacedInitializers();
    for (auto& [name, tensor] : added_) *graph.add_initializer() = std::move(tensor);
    EnsureMicrosoftOpset();
    return summary_;
  }

 private:
  bool KeptFloat(const std::string& weight) const {
    return std::any_of(options_.keep_float.begin(), options_.keep_float.end(),
                       [&](const std::string& pattern) { return weight.find(pattern) != std::string::npos; });
  }

  bool IsWeight(const std::string& name, int rank) const {
    const auto found = initializers_.find(name);
    if (found == initializers_.end()) return false;
    const onnx::TensorProto& tensor = model_.graph().initializer(found->second);
    return tensor.data_type() == onnx::TensorProto::FLOAT && tensor.dims_size() == rank &&
           tensor.data_location() != onnx::TensorProto::EXTERNAL;
  }

  FloatInitializer Read(const std::string& name) const {
    const onnx::TensorProto& tensor = model_.graph().initializer(initializers_.at(name));
    FloatInitializer result;
    std::size_t count = 1;
    for (std::int64_t d : tensor.dims()) {
      result.dims.push_back(d);
      count *= static_cast<std::size_t>(d);
    }
    if (tensor.has_raw_data()) {
      if (tensor.raw_data().size() != count * sizeof(float)) {
        throw InvalidInput("initializer \"" + name + "\": got " + std::to_string(tensor.raw_data().size()) +
                           " bytes, expected " + std::to_string(count * sizeof(float)));
      }
      result.values.resize(count);
      std::memcpy(result.values.data(), tensor.raw_data().data(), count * sizeof(float));
    } else {
      if (static_cast<std::size_t>(tensor.float_data_size()) != count) {
        throw InvalidInput("initializer \"" + name + "\": got " + std::to_string(tensor.float_data_size()) +
                           " floats, expected " + std::to_string(count));
      }
      result.values.assign(tensor.float_data().begin(), tensor.float_data().end());
    }
    return result;
  }

  // Adds the quantized weight + scale + zero point initializers; returns their names.
  std::array<std::string, 3> AddQuantized(const std::string& name, const QuantizedMatrix& q,
                                          const std::vector<std::int64_t>& dims, bool is_signed) {
    const auto type = is_signed ? onnx::TensorProto::INT8 : onnx::TensorProto::UINT8;
    onnx::TensorProto weight;
    weight.set_name(Fresh(name + "_quantized"));
    weight.set_data_type(type);
    for (std::int64_t d : dims) weight.add_dims(d);
    weight.set_raw_data(q.bytes);
    onnx::TensorProto scale;
    scale.set_name(Fresh(name + "_scale"));
    scale.set_data_type(onnx::TensorProto::FLOAT);
    if (q.scales.size() > 1) scale.add_dims(static_cast<std::int64_t>(q.scales.size()));
    for (float s : q.scales) scale.add_float_data(s);
    onnx::TensorProto zero_point;
    zero_point.set_name(Fresh(name + "_zero_point"));
    zero_point.set_data_type(type);
    if (q.zero_points.size() > 1) zero_point.add_dims(static_cast<std::int64_t>(q.zero_points.size()));
    std::string zero_bytes;
    for (std::int32_t z : q.zero_points) zero_bytes.push_back(static_cast<char>(z));
    zero_point.set_raw_data(zero_bytes);
    std::array<std::string, 3> names = {weight.name(), scale.name(), zero_point.name()};
    added_.emplace_back(weight.name(), std::move(weight));
    added_.emplace_back(scale.name(), std::move(scale));
    added_.emplace_back(zero_point.name(), std::move(zero_point));
    replaced_.insert(name);
    return names;
  }

  std::string Fresh(const std::string& name) {
    std::string candidate = name;
    for (int i = 1; initializers_.count(candidate) != 0 || taken_.count(candidate) != 0; ++i) {
      candidate = name + "_" + std::to_string(i);
    }
    taken_.insert(candidate);
    return candidate;
  }

  // The single Add consuming `value` with a 1-D float initializer of `size` as its other input, if any.
  int BiasAdd(int matmul_index, const std::string& value, std::int64_t size, std::string& bias) const {
    const auto uses = uses_.find(value);
    if (uses == uses_.end() || uses->second != 1) return -1;
    const onnx::GraphProto& graph = model_.graph();
    for (int j = matmul_index + 1; j < graph.node_size(); ++j) {
      const onnx::NodeProto& node = graph.node(j);
      if (node.op_type() != "Add" || !node.domain().empty() || node.input_size() != 2) continue;
      for (int side = 0; side < 2; ++side) {
        if (node.input(side) == value && IsWeight(node.input(1 - side), 1) &&
            model_.graph().initializer(initializers_.at(node.input(1 - side))).dims(0) == size) {
          bias = node.input(1 - side);
          return j;
        }
      }
    }
    return -1;
  }

  // The node's weight (input 1) quantized into new initializers; returns their names.
  std::array<std::string, 3> QuantizeWeightOf(const onnx::NodeProto& node, std::vector<std::int64_t>* dims = nullptr) {
    const FloatInitializer weight = Read(node.input(1));
    const QuantizedMatrix q =
        QuantizeMatrix(weight.values, weight.dims[0], weight.dims[1], options_.per_channel, options_.weight_type);
    if (dims != nullptr) *dims = weight.dims;
    return AddQuantized(node.input(1), q, weight.dims, options_.weight_type == WeightType::kS8);
  }

  void RewriteMatMul(int index, std::vector<onnx::NodeProto>& out, std::set<int>& skipped) {
    const onnx::NodeProto& node = model_.graph().node(index);
    std::vector<std::int64_t> dims;
    const auto names = QuantizeWeightOf(node, &dims);
    std::string bias;
    const int add = BiasAdd(index, node.output(0), dims[1], bias);
    onnx::NodeProto fused;
    fused.set_op_type("DynamicQuantizeMatMul");
    fused.set_domain(kMicrosoftDomain);
    fused.set_name(node.name() + "_quant");
    fused.add_input(node.input(0));
    for (const std::string& name : names) fused.add_input(name);
    if (add >= 0) {
      fused.add_input(bias);
      fused.add_output(model_.graph().node(add).output(0));
      skipped.insert(add);
    } else {
      fused.add_output(node.output(0));
    }
    out.push_back(std::move(fused));
    ++summary_.matmuls;
  }

  void RewriteAttention(const onnx::NodeProto& node, std::vector<onnx::NodeProto>& out) {
    const auto names = QuantizeWeightOf(node);
    onnx::NodeProto quantize_input;
    quantize_input.set_op_type("DynamicQuantizeLinear");
    quantize_input.set_name(node.name() + "_input_quant");
    quantize_input.add_input(node.input(0));
    const std::string x = Fresh(node.output(0) + "_input");
    for (const char* suffix : {"_quantized", "_scale", "_zero_point"}) quantize_input.add_output(Fresh(x + suffix));
    onnx::NodeProto attention;
    attention.set_op_type("QAttention");
    attention.set_domain(kMicrosoftDomain);
    attention.set_name(node.name() + "_quant");
    attention.add_input(quantize_input.output(0));
    attention.add_input(names[0]);
    attention.add_input(node.input(2));
    attention.add_input(quantize_input.output(1));
    attention.add_input(names[1]);
    attention.add_input(node.input_size() > 3 ? node.input(3) : std::string());
    attention.add_input(quantize_input.output(2));
    attention.add_input(names[2]);
    attention.add_output(node.output(0));
    for (const onnx::AttributeProto& attribute : node.attribute()) *attention.add_attribute() = attribute;
    out.push_back(std::move(quantize_input));
    out.push_back(std::move(attention));
    ++summary_.attentions;
  }

  void RewriteGather(const onnx::NodeProto& node, std::vector<onnx::NodeProto>& out) {
    const FloatInitializer table = Read(node.input(0));
    const QuantizedMatrix q = QuantizeMatrix(table.values, table.dims[0], table.dims[1], false, WeightType::kU8);
    const auto names = AddQuantized(node.input(0), q, table.dims, false);
    onnx::NodeProto gather = node;
    gather.set_input(0, names[0]);
    const std::string gathered = Fresh(node.output(0) + "_quantized");
    gather.set_output(0, gathered);
    onnx::NodeProto dequantize;
    dequantize.set_op_type("DequantizeLinear");
    dequantize.set_name(node.name() + "_dequant");
    dequantize.add_input(gathered);
    dequantize.add_input(names[1]);
    dequantize.add_input(names[2]);
    dequantize.add_output(node.output(0));
    out.push_back(std::move(gather));
    out.push_back(std::move(dequantize));
    ++summary_.embeddings;
  }

  void DropReplacedInitializers() {
    onnx::GraphProto& graph = *model_.mutable_graph();
    std::set<std::string> used;
    for (const onnx::NodeProto& node : graph.node()) used.insert(node.input().begin(), node.input().end());
    for (const onnx::ValueInfoProto& output : graph.output()) used.insert(output.name());
    const auto drop = [&](const std::string& name) { return replaced_.count(name) != 0 && used.count(name) == 0; };
    auto* initializers = graph.mutable_initializer();
    initializers->erase(std::remove_if(initializers->begin(), initializers->end(),
                                       [&](const onnx::TensorProto& t) { return drop(t.name()); }),
                        initializers->end());
    auto* inputs = graph.mutable_input();  // IR < 4 models list initializers as graph inputs too
    inputs->erase(
        std::remove_if(inputs->begin(), inputs->end(), [&](const onnx::ValueInfoProto& v) { return drop(v.name()); }),
        inputs->end());
  }

  void EnsureMicrosoftOpset() {
    for (const auto& opset : model_.opset_import()) {
      if (opset.domain() == kMicrosoftDomain) return;
    }
    auto* opset = model_.add_opset_import();
    opset->set_domain(kMicrosoftDomain);
    opset->set_version(1);
  }

  onnx::ModelProto& model_;
  const QuantizeOptions& options_;
  std::map<std::string, int> initializers_;
  std::map<std::string, int> uses_;
  std::set<std::string> taken_;
  std::set<std::string> replaced_;
  std::vector<std::pair<std::string, onnx::TensorProto>> added_;
  QuantizeSummary summary_;
};

}  // namespace

std::string QuantizeOnnxModel(const std::string& model_bytes, const QuantizeOptions& options,
                              QuantizeSummary& summary) {
  onnx::ModelProto model;
  if (!model.ParseFromString(model_bytes)) {
    throw InvalidInput("got " + std::to_string(model_bytes.size()) + " bytes that do not parse as an ONNX model");
  }
  summary = Rewriter(model, options).Run();
  if (summary.matmuls + summary.attentions == 0) {
    throw InvalidInput(
        "found no MatMul or Attention with a constant 2-D float weight to quantize "
        "(already quantized?)");
  }
  model.set_producer_name("fastintent");
  model.set_producer_version("quantize");
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& error) {
    throw InvalidInput(std::string("the quantized graph fails the ONNX checker: ") + error.what());
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw InvalidInput("cannot serialize the quantized model");
  summary.input_bytes = model_bytes.size();
  summary.output_bytes = bytes.size();
  return bytes;
}

}  // namespace fastintent::exporter
