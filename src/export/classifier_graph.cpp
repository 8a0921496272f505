// The whole sequence-classification model: graph inputs, an encoder body (plain or fused), the head
// (BERT: pooler dense + tanh on [CLS], classifier; DistilBERT: pre_classifier + ReLU on [CLS], classifier;
// with mean pooling: the mean over real tokens, classifier),
// the "logits" output, opset imports, and the ONNX checker.
#include <onnx/checker.h>

#include "encoder_graph.h"
#include "fastintent/common/error.h"
#include "fastintent/export/onnx_export.h"

namespace fastintent::exporter {
namespace {

// Mean over the real tokens: sum(hidden * mask) / max(sum(mask), 1e-9), [batch, hidden] (as MeanPool in
// src/train and sentence-transformers compute it).
std::string MeanPooled(GraphContext& context, const std::string& hidden_states) {
  OnnxBuilder& b = context.builder;
  const std::string mask =
      b.Op("Cast", {kAttentionMask}, "pool_mask", {{"to", std::int64_t{onnx::TensorProto::FLOAT}}});
  const std::string mask3 = b.Op("Unsqueeze", {mask, b.Int64Initializer(b.Unique("axis2"), {1}, {2})}, "pool_mask3");
  const std::string axis1 = b.Int64Initializer(b.Unique("axis1"), {1}, {1});
  const std::string summed =
      b.Op("ReduceSum", {b.Op("Mul", {hidden_states, mask3}, "pool_masked"), axis1}, "pool_sum", {{"keepdims", std::int64_t{0}}});
  const std::string count = b.Op("ReduceSum", {mask3, axis1}, "pool_count", {{"keepdims", std::int64_t{0}}});
  const std::string clamped = b.Op("Max", {count, b.ScalarFloat("pool_min_count", 1e-9f)}, "pool_count_clamped");
  return b.Op("Div", {summed, clamped}, "pooled");
}

std::string ClassificationHead(GraphContext& context, const std::string& hidden_states) {
  OnnxBuilder& b = context.builder;
  const std::int64_t hidden = context.hidden();
  const auto labels = static_cast<std::int64_t>(context.config.labels.size());
  std::string pooled;
  if (context.config.pooling.value_or(checkpoint::Pooling::kCls) == checkpoint::Pooling::kMean) {
    pooled = MeanPooled(context, hidden_states);
  } else {
    const std::string index0 = b.Int64Initializer(b.Unique("cls_index"), {}, {0});
    const std::string cls = b.Op("Gather", {hidden_states, index0}, "cls", {{"axis", std::int64_t{1}}});
    if (context.config.architecture == checkpoint::Architecture::kBert) {
      pooled = b.Op("Tanh", {context.Linear(cls, "bert.pooler.dense", hidden, hidden)}, "pooled");
    } else {
      pooled = b.Op("Relu", {context.Linear(cls, "pre_classifier", hidden, hidden)}, "pooled");
    }
  }
  context.Linear(pooled, "classifier", hidden, labels);
  b.RenameLastOutput("logits");  // the classifier's bias Add produces the graph output
  return "logits";
}

}  // namespace

std::string BuildOnnxModel(const checkpoint::Checkpoint& checkpoint, const ExportOptions& options) {
  const checkpoint::ModelConfig& config = checkpoint.config;
  if (options.opset < kMinOpset || options.opset > kMaxOpset) {
    throw InvalidInput("--opset: got " + std::to_string(options.opset) + ", expected " + std::to_string(kMinOpset) +
                       ".." + std::to_string(kMaxOpset));
  }
  if (config.labels.empty()) {
    throw InvalidInput(
        "config.json has no id2label: a bare encoder has no classification head to export "
        "(fine-tune it first, e.g. with `fastintent train`)");
  }
  if (checkpoint.weights.count("classifier.weight") == 0) {
    throw InvalidInput("missing weight \"classifier.weight\": the checkpoint has no classification head");
  }

  onnx::ModelProto model;
  model.set_ir_version(onnx::IR_VERSION);
  model.set_producer_name("fastintent");
  model.set_producer_version("export");
  model.set_model_version(1);
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(options.opset);
  if (options.graph == GraphKind::kFused) {
    auto* contrib = model.add_opset_import();
    contrib->set_domain(kMicrosoftDomain);
    contrib->set_version(1);
  }
  onnx::GraphProto* graph = model.mutable_graph();
  graph->set_name(config.architecture == checkpoint::Architecture::kBert ? "bert_sequence_classification"
                                                                         : "distilbert_sequence_classification");
  OnnxBuilder builder(graph);
  const bool has_token_types = config.architecture == checkpoint::Architecture::kBert;
  builder.Input(kInputIds, onnx::TensorProto::INT64, {"batch", "sequence"});
  builder.Input(kAttentionMask, onnx::TensorProto::INT64, {"batch", "sequence"});
  if (has_token_types) builder.Input(kTokenTypeIds, onnx::TensorProto::INT64, {"batch", "sequence"});

  const CheckpointWeights weights(checkpoint.weights);
  const WeightNames names = NamesFor(config.architecture);
  GraphContext context{builder, config, weights, names, options.opset, has_token_types};
  const std::string hidden_states = options.graph == GraphKind::kFused ? FusedEncoder(context) : PlainEncoder(context);
  const std::string logits = ClassificationHead(context, hidden_states);
  builder.Output(logits, onnx::TensorProto::FLOAT, {"batch", std::to_string(config.labels.size())});

  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& error) {
    throw InvalidInput(std::string("the exported graph fails the ONNX checker: ") + error.what());
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw InvalidInput("cannot serialize the ONNX model (over 2 GB?)");
  return bytes;
}

}  // namespace fastintent::exporter
