#include "attention_rewrite.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "attention_op.h"

namespace fastintent::runtime::attention {
namespace {

class GraphIndex {
 public:
  explicit GraphIndex(const onnx::GraphProto& graph) : graph_(graph) {
    for (int i = 0; i < graph.node_size(); ++i) {
      for (const std::string& output : graph.node(i).output()) producer_[output] = i;
      for (const std::string& input : graph.node(i).input()) ++uses_[input];
    }
    for (const auto& output : graph.output()) ++uses_[output.name()];  // a graph output is a use no rewrite may drop
    for (const auto& input : graph.input()) ++uses_[input.name()];     // so is an initializer that is also an input
    for (const auto& tensor : graph.initializer()) initializers_[tensor.name()] = &tensor;
  }

  // The node producing `value` when it has op type `op` (default domain, or `domain`), else nullopt.
  std::optional<int> Producer(const std::string& value, const char* op, const char* domain = nullptr) const {
    const auto found = producer_.find(value);
    if (found == producer_.end()) return std::nullopt;
    const onnx::NodeProto& node = graph_.node(found->second);
    const bool in_domain = domain ? node.domain() == domain : node.domain().empty() || node.domain() == "ai.onnx";
    if (node.op_type() != op || !in_domain) return std::nullopt;
    return found->second;
  }
  // A float initializer of rank 1 (a bias), or nullptr.
  const onnx::TensorProto* Vector(const std::string& name) const {
    const auto found = initializers_.find(name);
    if (found == initializers_.end()) return nullptr;
    const onnx::TensorProto* tensor = found->second;
    return tensor->data_type() == onnx::TensorProto::FLOAT && tensor->dims_size() == 1 ? tensor : nullptr;
  }
  // The one node reading `value` when nothing else (no other node, no graph output) does.
  std::optional<int> SoleConsumer(const std::string& value, const char* op) const {
    if (Uses(value) != 1) return std::nullopt;
    for (int i = 0; i < graph_.node_size(); ++i) {
      for (const std::string& input : graph_.node(i).input()) {
        if (input == value) {
          const onnx::NodeProto& node = graph_.node(i);
          if (node.op_type() != op || !(node.domain().empty() || node.domain() == "ai.onnx")) return std::nullopt;
          return i;
        }
      }
    }
    return std::nullopt;
  }
  int Uses(const std::string& value) const {
    const auto found = uses_.find(value);
    return found == uses_.end() ? 0 : found->second;
  }
  std::optional<std::vector<std::int64_t>> Int64s(const std::string& name) const {
    const auto found = initializers_.find(name);
    if (found == initializers_.end() || found->second->data_type() != onnx::TensorProto::INT64) return std::nullopt;
    const onnx::TensorProto& tensor = *found->second;
    if (tensor.has_raw_data()) {
      std::vector<std::int64_t> values(tensor.raw_data().size() / sizeof(std::int64_t));
      std::memcpy(values.data(), tensor.raw_data().data(), values.size() * sizeof(std::int64_t));
      return values;
    }
    return std::vector<std::int64_t>(tensor.int64_data().begin(), tensor.int64_data().end());
  }
  std::optional<float> Scalar(const std::string& name) const {
    const auto found = initializers_.find(name);
    if (found == initializers_.end() || found->second->data_type() != onnx::TensorProto::FLOAT) return std::nullopt;
    const onnx::TensorProto& tensor = *found->second;
    for (std::int64_t dim : tensor.dims()) {
      if (dim != 1) return std::nullopt;
    }
    if (tensor.has_raw_data() && tensor.raw_data().size() == sizeof(float)) {
      float value = 0;
      std::memcpy(&value, tensor.raw_data().data(), sizeof value);
      return value;
    }
    if (tensor.float_data_size() == 1) return tensor.float_data(0);
    return std::nullopt;
  }
  const onnx::NodeProto& Node(int index) const { return graph_.node(index); }

 private:
  const onnx::GraphProto& graph_;
  std::unordered_map<std::string, int> producer_;
  std::unordered_map<std::string, int> uses_;
  std::unordered_map<std::string, const onnx::TensorProto*> initializers_;
};

std::optional<std::vector<std::int64_t>> IntsAttribute(const onnx::NodeProto& node, const char* name) {
  for (const auto& attribute : node.attribute()) {
    if (attribute.name() == name) return std::vector<std::int64_t>(attribute.ints().begin(), attribute.ints().end());
  }
  return std::nullopt;
}

bool HasPerm(const onnx::NodeProto& transpose, std::vector<std::int64_t> perm) {
  return IntsAttribute(transpose, "perm") == perm;
}

bool SoftmaxOverLastAxis(const onnx::NodeProto& softmax) {
  for (const auto& attribute : softmax.attribute()) {
    if (attribute.name() == "axis") return attribute.i() == -1 || attribute.i() == 3;
  }
  return true;  // opset 13+ default axis is -1
}

struct Core {
  std::vector<int> nodes;  // every node the new one replaces
  int last = -1;           // the final Reshape: the new node takes its place in the order
  int drop_bias_of = -1;   // a DynamicQuantizeMatMul (the INT8 key projection) to run without its bias input
  std::string q, k, v, mask_bias, output;
  std::int64_t heads = 0;
  float scale = 1.0f;
};

// Q, K or V from the Reshape(projection, [0, 0, heads, head_size]) -> Transpose(perm) pair ending in `value`.
std::optional<std::string> HeadsInput(const GraphIndex& index, const std::string& value,
                                      const std::vector<std::int64_t>& perm, Core& core,
                                      std::vector<std::int64_t>& split) {
  const auto transpose = index.Producer(value, "Transpose");
  if (!transpose || index.Uses(value) != 1 || !HasPerm(index.Node(*transpose), perm)) return std::nullopt;
  const std::string& heads = index.Node(*transpose).input(0);
  const auto reshape = index.Producer(heads, "Reshape");
  if (!reshape || index.Uses(heads) != 1) return std::nullopt;
  const auto shape = index.Int64s(index.Node(*reshape).input(1));
  if (!shape || shape->size() != 4 || (*shape)[0] != 0 || (*shape)[1] != 0 || (*shape)[2] <= 0 || (*shape)[3] <= 0) {
    return std::nullopt;
  }
  if (!split.empty() && split != *shape) return std::nullopt;
  split = *shape;
  core.nodes.push_back(*transpose);
  core.nodes.push_back(*reshape);
  return index.Node(*reshape).input(0);
}

// The key projection's bias adds q_i·b_k to every score of query i alike, which the softmax cancels exactly, so
// when nothing but this core reads the keys the bias goes: its Add is skipped (fp32), or the INT8 projection
// (com.microsoft DynamicQuantizeMatMul) loses its bias input. Saves a pass over the keys per layer in fp32.
void DropKeyBias(const GraphIndex& index, Core& core) {
  if (index.Uses(core.k) != 1) return;
  if (const auto add = index.Producer(core.k, "Add")) {
    const onnx::NodeProto& node = index.Node(*add);
    if (index.Vector(node.input(1)) && index.Producer(node.input(0), "MatMul") && index.Uses(node.input(0)) == 1) {
      core.nodes.push_back(*add);
      core.k = node.input(0);
    }
    return;
  }
  const auto projection = index.Producer(core.k, "DynamicQuantizeMatMul", "com.microsoft");
  if (projection && index.Node(*projection).input_size() == 5 && index.Vector(index.Node(*projection).input(4))) {
    core.drop_bias_of = *projection;
  }
}

std::optional<Core> MatchCore(const GraphIndex& index, int softmax_index) {
  const onnx::NodeProto& softmax = index.Node(softmax_index);
  if (!SoftmaxOverLastAxis(softmax)) return std::nullopt;
  Core core;
  core.nodes.push_back(softmax_index);
  const auto add = index.Producer(softmax.input(0), "Add");
  if (!add || index.Uses(softmax.input(0)) != 1) return std::nullopt;
  const onnx::NodeProto& add_node = index.Node(*add);
  const auto div = index.Producer(add_node.input(0), "Div");
  const auto unsqueeze = index.Producer(add_node.input(1), "Unsqueeze");
  if (!div || !unsqueeze || index.Uses(add_node.input(0)) != 1) return std::nullopt;
  const onnx::NodeProto& unsqueeze_node = index.Node(*unsqueeze);
  if (unsqueeze_node.input_size() != 2 || index.Int64s(unsqueeze_node.input(1)) != std::vector<std::int64_t>{1, 2}) {
    return std::nullopt;
  }
  core.mask_bias = unsqueeze_node.input(0);
  const onnx::NodeProto& div_node = index.Node(*div);
  const auto divisor = index.Scalar(div_node.input(1));
  if (!divisor || !(*divisor > 0.0f) || !std::isfinite(*divisor)) return std::nullopt;
  core.scale = 1.0f / *divisor;
  const auto scores = index.Producer(div_node.input(0), "MatMul");
  if (!scores || index.Uses(div_node.input(0)) != 1) return std::nullopt;
  core.nodes.insert(core.nodes.end(), {*add, *div, *scores});
  std::vector<std::int64_t> split;
  const onnx::NodeProto& scores_node = index.Node(*scores);
  const auto q = HeadsInput(index, scores_node.input(0), {0, 2, 1, 3}, core, split);
  const auto k = HeadsInput(index, scores_node.input(1), {0, 2, 3, 1}, core, split);
  if (!q || !k) return std::nullopt;
  const auto context = index.SoleConsumer(softmax.output(0), "MatMul");
  if (!context || index.Node(*context).input(0) != softmax.output(0)) return std::nullopt;
  const auto v = HeadsInput(index, index.Node(*context).input(1), {0, 2, 1, 3}, core, split);
  if (!v) return std::nullopt;
  const auto merge = index.SoleConsumer(index.Node(*context).output(0), "Transpose");
  if (!merge || !HasPerm(index.Node(*merge), {0, 2, 1, 3})) return std::nullopt;
  const auto reshape = index.SoleConsumer(index.Node(*merge).output(0), "Reshape");
  if (!reshape) return std::nullopt;
  const auto merged_shape = index.Int64s(index.Node(*reshape).input(1));
  if (merged_shape != std::vector<std::int64_t>{0, 0, split[2] * split[3]}) return std::nullopt;
  core.nodes.insert(core.nodes.end(), {*context, *merge, *reshape});
  core.last = *reshape;
  core.q = *q;
  core.k = *k;
  core.v = *v;
  core.output = index.Node(*reshape).output(0);
  core.heads = split[2];
  DropKeyBias(index, core);
  return core;
}

onnx::NodeProto AttentionNode(const Core& core, std::size_t number) {
  onnx::NodeProto node;
  node.set_op_type(kOpName);
  node.set_domain(kDomain);
  node.set_name("fastintent_attention_" + std::to_string(number));
  for (const std::string* input : {&core.q, &core.k, &core.v, &core.mask_bias}) node.add_input(*input);
  node.add_output(core.output);
  onnx::AttributeProto* heads = node.add_attribute();
  heads->set_name("num_heads");
  heads->set_type(onnx::AttributeProto::INT);
  heads->set_i(core.heads);
  onnx::AttributeProto* scale = node.add_attribute();
  scale->set_name("scale");
  scale->set_type(onnx::AttributeProto::FLOAT);
  scale->set_f(core.scale);
  return node;
}

// Drops nodes none of whose outputs is read any more (the mask's Unsqueeze once every core is replaced), then
// the initializers no node reads (the cores' head shapes and sqrt(d)), which ONNX Runtime would warn about.
void RemoveUnused(onnx::GraphProto& graph) {
  for (bool changed = true; changed;) {
    changed = false;
    const GraphIndex index(graph);
    onnx::GraphProto kept;
    for (const onnx::NodeProto& node : graph.node()) {
      bool used = false;
      for (const std::string& output : node.output()) used = used || index.Uses(output) > 0;
      if (used) {
        *kept.add_node() = node;
      } else {
        changed = true;
      }
    }
    if (changed) graph.mutable_node()->Swap(kept.mutable_node());
  }
  const GraphIndex index(graph);
  onnx::GraphProto kept;
  for (onnx::TensorProto& tensor : *graph.mutable_initializer()) {
    if (index.Uses(tensor.name()) > 0) kept.add_initializer()->Swap(&tensor);
  }
  graph.mutable_initializer()->Swap(kept.mutable_initializer());
}

}  // namespace

std::size_t UseNativeAttention(onnx::ModelProto& model) {
  onnx::GraphProto& graph = *model.mutable_graph();
  std::vector<Core> cores;
  {
    const GraphIndex index(graph);
    std::set<int> taken;
    for (int i = 0; i < graph.node_size(); ++i) {
      if (graph.node(i).op_type() != "Softmax") continue;
      std::optional<Core> core = MatchCore(index, i);
      if (!core) continue;
      bool overlaps = false;
      for (int node : core->nodes) overlaps = overlaps || taken.count(node) > 0;
      if (overlaps) continue;
      taken.insert(core->nodes.begin(), core->nodes.end());
      cores.push_back(std::move(*core));
    }
  }
  if (cores.empty()) return 0;
  std::unordered_map<int, const Core*> replaced_at;
  std::set<int> removed;
  std::set<int> unbiased;
  for (const Core& core : cores) {
    replaced_at[core.last] = &core;
    removed.insert(core.nodes.begin(), core.nodes.end());
    if (core.drop_bias_of >= 0) unbiased.insert(core.drop_bias_of);
  }
  onnx::GraphProto rewritten;
  std::size_t number = 0;
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto at = replaced_at.find(i);
    if (at != replaced_at.end()) {
      *rewritten.add_node() = AttentionNode(*at->second, number++);
    } else if (removed.count(i) == 0) {
      onnx::NodeProto* node = rewritten.add_node();
      *node = graph.node(i);
      if (unbiased.count(i) > 0) node->mutable_input()->RemoveLast();  // the optional bias is the last input
    }
  }
  graph.mutable_node()->Swap(rewritten.mutable_node());
  RemoveUnused(graph);
  bool imported = false;
  for (const auto& opset : model.opset_import()) imported = imported || opset.domain() == kDomain;
  if (!imported) {
    onnx::OperatorSetIdProto* opset = model.add_opset_import();
    opset->set_domain(kDomain);
    opset->set_version(1);
  }
  return cores.size();
}

RewrittenModel RewriteModelFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in)) return {};
  for (const auto& tensor : model.graph().initializer()) {
    if (tensor.data_location() == onnx::TensorProto::EXTERNAL) return {};
  }
  RewrittenModel result;
  result.cores = UseNativeAttention(model);
  if (result.cores == 0) return {};
  constexpr std::size_t kInlineBelow = 1024;
  auto* initializers = model.mutable_graph()->mutable_initializer();
  result.weights.reserve(static_cast<std::size_t>(initializers->size()));
  const Ort::MemoryInfo memory = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  for (onnx::TensorProto& tensor : *initializers) {
    if (!tensor.has_raw_data() || tensor.raw_data().size() < kInlineBelow) continue;
    // Moving a long std::string keeps its heap buffer, so the OrtValue's pointer stays valid in the vector.
    std::string& data = result.weights.emplace_back(std::move(*tensor.mutable_raw_data()));
    tensor.clear_raw_data();
    tensor.set_data_location(onnx::TensorProto::EXTERNAL);
    const std::pair<const char*, std::string> reference[] = {
        {"location", "fastintent-in-memory"}, {"offset", "0"}, {"length", std::to_string(data.size())}};
    for (const auto& [key, value] : reference) {
      onnx::StringStringEntryProto* entry = tensor.add_external_data();
      entry->set_key(key);
      entry->set_value(value);
    }
    const std::vector<std::int64_t> shape(tensor.dims().begin(), tensor.dims().end());
    result.initializer_names.push_back(tensor.name());
    result.initializers.push_back(Ort::Value::CreateTensor(memory, data.data(), data.size(), shape.data(), shape.size(),
                                                           static_cast<ONNXTensorElementDataType>(tensor.data_type())));
  }
  result.bytes = model.SerializeAsString();
  return result;
}

}  // namespace fastintent::runtime::attention
