// Exported graphs against transformers' logits on the same checkpoint (single texts and one mixed-length
// padded batch), run through ONNX Runtime, and checked by onnx.checker + ORT in Python.
#include <gtest/gtest.h>

#include <cstdlib>

#include "export_test_support.h"
#include "fastintent/export/model_files.h"
#include "fastintent/export/onnx_export.h"

namespace fastintent::exporter {
namespace {

using testing::kFixtures;

struct Case {
  std::string architecture;
  GraphKind graph;
  int opset;
  double tolerance;  // the bounds: 1e-4 plain, 1e-3 fused
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.architecture << " opset " << c.opset; }

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return info.param.architecture + (info.param.graph == GraphKind::kFused ? "_fused" : "_plain") + "_opset" +
         std::to_string(info.param.opset);
}

class ExportParity : public ::testing::TestWithParam<Case> {};

TEST_P(ExportParity, LogitsMatchTransformers) {
  const Case& c = GetParam();
  const auto out = testing::Scratch(CaseName({c, 0}));
  ExportOptions options;
  options.graph = c.graph;
  options.opset = c.opset;
  const ExportSummary summary = ExportModelDirectory(kFixtures / c.architecture, out, options);
  EXPECT_TRUE(std::filesystem::exists(out / kModelFile));
  EXPECT_TRUE(std::filesystem::exists(out / "config.json"));
  EXPECT_TRUE(std::filesystem::exists(out / "tokenizer.json"));
  EXPECT_TRUE(std::filesystem::exists(out / "vocab.txt"));
  EXPECT_GE(summary.copied_files.size(), 3u);

  const auto reference = testing::ReadReference(c.architecture);
  // Both ways of running the attention cores: the native kernel the runtime rewrites a plain graph's cores into
  // (one per layer; the fused graph's com.microsoft Attention is left to ONNX Runtime) and ONNX Runtime's ops.
  const std::size_t layers = 2;  // the fixtures' num_hidden_layers / n_layers
  for (bool native : {true, false}) {
    for (bool optimize : {true, false}) {
      SCOPED_TRACE(std::string(optimize ? "ORT_ENABLE_ALL" : "ORT_DISABLE_ALL") + (native ? ", native attention" : ""));
      const auto model = testing::LoadModel(out / kModelFile, optimize, native);
      EXPECT_EQ(model->info().native_attention_cores, native && c.graph == GraphKind::kPlain ? layers : 0u);
      for (std::size_t i = 0; i < reference.size(); ++i) {
        const auto logits = model->LogitsPrepared(reference[i].texts);
        const double difference = testing::MaxAbsDifference(logits, reference[i].logits);
        EXPECT_LE(difference, c.tolerance) << "batch " << i << " (" << reference[i].texts.size() << " texts)";
      }
    }
  }

  // Texts through the engine as served (its tokenizer, the model's input prefix, padding to the longest): the
  // same logits as transformers on the reference's ids.
  const auto served = testing::LoadModel(out / kModelFile);
  for (std::size_t i = 0; i < reference.size(); ++i) {
    ASSERT_FALSE(reference[i].raw_texts.empty());
    EXPECT_LE(testing::MaxAbsDifference(served->Logits(reference[i].raw_texts), reference[i].logits), c.tolerance)
        << "texts of batch " << i;
  }

  // onnx.checker (full check) and ONNX Runtime Python load the file too.
  const std::string command = std::string("\"") + FASTINTENT_TEST_PYTHON + "\" \"" + FASTINTENT_TOOLS_DIR +
                              "/export/check_onnx_model.py\" \"" + (out / kModelFile).string() + "\"";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

INSTANTIATE_TEST_SUITE_P(
    Graphs, ExportParity,
    ::testing::Values(Case{"bert", GraphKind::kPlain, 17, 1e-4}, Case{"bert", GraphKind::kPlain, 14, 1e-4},
                      Case{"bert", GraphKind::kFused, 17, 1e-3}, Case{"distilbert", GraphKind::kPlain, 17, 1e-4},
                      Case{"distilbert", GraphKind::kPlain, 14, 1e-4}, Case{"distilbert", GraphKind::kFused, 17, 1e-3},
                      Case{"bert_mean", GraphKind::kPlain, 17, 1e-4}, Case{"bert_mean", GraphKind::kFused, 17, 1e-3}),
    CaseName);

}  // namespace
}  // namespace fastintent::exporter
