// The load-time rewrite of attention cores (src/runtime/attention/attention_rewrite.h) on graphs our exporter and
// quantizer write: what it replaces and keeps, that it leaves other graphs alone, and that the INT8 model runs the
// same through it as through ONNX Runtime's ops.
#include "attention/attention_rewrite.h"

#include <gtest/gtest.h>

#include <fstream>

#include "export_test_support.h"
#include "fastintent/export/model_files.h"
#include "fastintent/export/onnx_export.h"
#include "fastintent/export/quantize.h"

namespace fastintent::exporter {
namespace {

using testing::kFixtures;

onnx::ModelProto Exported(GraphKind graph) {
  ExportOptions options;
  options.graph = graph;
  onnx::ModelProto model;
  EXPECT_TRUE(model.ParseFromString(BuildOnnxModel(checkpoint::ReadCheckpoint(kFixtures / "bert"), options)));
  return model;
}

std::size_t Count(const onnx::ModelProto& model, const std::string& op) {
  std::size_t n = 0;
  for (const auto& node : model.graph().node()) n += node.op_type() == op;
  return n;
}

bool Reads(const onnx::ModelProto& model, const std::string& fragment) {
  for (const auto& node : model.graph().node()) {
    for (const auto& input : node.input()) {
      if (input.find(fragment) != std::string::npos) return true;
    }
  }
  return false;
}

TEST(AttentionRewrite, ReplacesEachPlainCoreAndDropsTheKeyBias) {
  onnx::ModelProto model = Exported(GraphKind::kPlain);
  ASSERT_EQ(Count(model, "Softmax"), 2u);
  ASSERT_TRUE(Reads(model, "attention.self.key.bias"));
  EXPECT_EQ(runtime::attention::UseNativeAttention(model), 2u);
  EXPECT_EQ(Count(model, "Attention"), 2u);
  for (const char* gone : {"Softmax", "Transpose", "Unsqueeze"}) EXPECT_EQ(Count(model, gone), 0u) << gone;
  EXPECT_EQ(Count(model, "Div"), 2u);  // only the GELUs' x / sqrt(2) are left
  EXPECT_FALSE(Reads(model, "attention.self.key.bias"));  // softmax cancels it; its Add is skipped
  EXPECT_TRUE(Reads(model, "attention.self.query.bias"));
  EXPECT_TRUE(Reads(model, "attention.self.value.bias"));
  for (const auto& tensor : model.graph().initializer()) {
    EXPECT_EQ(tensor.name().find("split_heads_shape"), std::string::npos) << "unused initializer kept";
  }
  bool imported = false;
  for (const auto& opset : model.opset_import()) imported = imported || opset.domain() == "ai.fastintent";
  EXPECT_TRUE(imported);
  // A second pass finds nothing left to do.
  EXPECT_EQ(runtime::attention::UseNativeAttention(model), 0u);
}

TEST(AttentionRewrite, LeavesTheFusedGraphAlone) {
  onnx::ModelProto model = Exported(GraphKind::kFused);
  const std::string before = model.SerializeAsString();
  EXPECT_EQ(runtime::attention::UseNativeAttention(model), 0u);
  EXPECT_EQ(model.SerializeAsString(), before);
}

TEST(AttentionRewrite, LeavesACoreWithAnotherScaleFormAlone) {
  // The same graph with each core's Div turned into a Mul: no longer the exported form, so it is not touched.
  onnx::ModelProto model = Exported(GraphKind::kPlain);
  for (auto& node : *model.mutable_graph()->mutable_node()) {
    if (node.op_type() == "Div" && node.output(0).find("scores_scaled") != std::string::npos) node.set_op_type("Mul");
  }
  EXPECT_EQ(runtime::attention::UseNativeAttention(model), 0u);
  EXPECT_EQ(Count(model, "Softmax"), 2u);
}

TEST(AttentionRewrite, Int8ModelRunsTheSameThroughTheNativeKernel) {
  const auto dir = testing::ExportTo("attention_rewrite_int8", checkpoint::ReadCheckpoint(kFixtures / "bert"),
                                     GraphKind::kPlain);
  ASSERT_TRUE(QuantizeModelDirectory(dir, QuantizeOptions{}, std::nullopt).written);
  {
    const auto rewritten = runtime::attention::RewriteModelFile(dir / kQuantizedModelFile);
    EXPECT_EQ(rewritten.cores, 2u);
    onnx::ModelProto model;
    ASSERT_TRUE(model.ParseFromString(rewritten.bytes));
    for (const auto& node : model.graph().node()) {
      if (node.op_type() == "DynamicQuantizeMatMul" && node.input(1).find(".key.") != std::string::npos) {
        EXPECT_EQ(node.input_size(), 4) << "the INT8 key projection keeps its bias";
      }
    }
    EXPECT_FALSE(rewritten.initializers.empty());  // the weights travel beside the bytes, not inside them
    EXPECT_LT(rewritten.bytes.size(), std::filesystem::file_size(dir / kQuantizedModelFile) / 2);
  }
  const auto native = testing::LoadModel(dir / kQuantizedModelFile, true, true);
  const auto ort = testing::LoadModel(dir / kQuantizedModelFile, true, false);
  EXPECT_EQ(native->info().native_attention_cores, 2u);
  EXPECT_EQ(ort->info().native_attention_cores, 0u);
  std::size_t rows = 0, same = 0;
  for (const auto& batch : testing::ReadReference("bert")) {
    const auto a = native->LogitsPrepared(batch.texts);
    const auto b = ort->LogitsPrepared(batch.texts);
    // Last-bit changes in the attention output can move the next layer's activation quantization by a step.
    EXPECT_LE(testing::MaxAbsDifference(a, b), 0.05);
    for (std::size_t row = 0; row < a.size(); ++row) {
      ++rows;
      same += testing::ArgMax(a[row]) == testing::ArgMax(b[row]);
    }
  }
  EXPECT_EQ(same, rows);
}

TEST(AttentionRewrite, UnreadableFileIsLeftToOnnxRuntime) {
  const auto dir = testing::Scratch("attention_rewrite_garbage");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "model.onnx") << "not a protobuf \xff\xff\xff";
  EXPECT_EQ(runtime::attention::RewriteModelFile(dir / "model.onnx").cores, 0u);
  EXPECT_EQ(runtime::attention::RewriteModelFile(dir / "missing.onnx").cores, 0u);
}

}  // namespace
}  // namespace fastintent::exporter
