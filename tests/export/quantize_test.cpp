// INT8 models made by QuantizeOnnxModel load in ONNX Runtime and agree with the fp32 model; the accuracy gate
// refuses (nothing written) when F1 drops and --force overrides; per-channel scales survive an outlier column.
#include "fastintent/export/quantize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "export_test_support.h"
#include "fastintent/common/error.h"
#include "fastintent/export/model_files.h"
#include "fastintent/export/onnx_export.h"

namespace fastintent::exporter {
namespace {

using testing::kFixtures;

using testing::ExportTo;

struct Agreement {
  double max_difference = 0;
  std::size_t rows = 0, same_top1 = 0;
};

Agreement Compare(const std::filesystem::path& fp32, const std::filesystem::path& int8) {
  const auto reference = testing::LoadModel(fp32), quantized = testing::LoadModel(int8);
  Agreement agreement;
  for (const auto& batch : testing::ReadReference("bert")) {
    const auto a = reference->LogitsPrepared(batch.texts);
    const auto b = quantized->LogitsPrepared(batch.texts);
    agreement.max_difference = std::max(agreement.max_difference, testing::MaxAbsDifference(a, b));
    for (std::size_t row = 0; row < a.size(); ++row) {
      ++agreement.rows;
      agreement.same_top1 += testing::ArgMax(a[row]) == testing::ArgMax(b[row]);
    }
  }
  return agreement;
}

struct Variant {
  GraphKind graph;
  QuantizeOptions options;
  std::size_t matmuls, attentions, embeddings;
};

TEST(Quantize, EveryVariantLoadsAndAgreesWithFp32) {
  const checkpoint::Checkpoint checkpoint = checkpoint::ReadCheckpoint(kFixtures / "bert");
  // 2 layers: plain = 6 Linear per layer + pooler (+ the classifier, kept float by default); fused = 3 MatMul +
  // 1 Attention per layer + the pooler (+ the classifier).
  const std::vector<Variant> variants = {
      {GraphKind::kPlain, {false, WeightType::kS8, false}, 13, 0, 0},
      {GraphKind::kPlain, {true, WeightType::kU8, false}, 13, 0, 0},
      {GraphKind::kPlain, {false, WeightType::kU8, true}, 13, 0, 2},      // word + token type tables
      {GraphKind::kPlain, {true, WeightType::kS8, false, {}}, 14, 0, 0},  // nothing kept float
      {GraphKind::kFused, {false, WeightType::kS8, false}, 7, 2, 0},
      {GraphKind::kFused, {true, WeightType::kS8, false}, 7, 2, 0},
      {GraphKind::kFused, {false, WeightType::kU8, false}, 7, 2, 0},
  };
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const Variant& v = variants[i];
    SCOPED_TRACE("variant " + std::to_string(i));
    const auto dir = ExportTo("quantize_variant_" + std::to_string(i), checkpoint, v.graph);
    const auto result = QuantizeModelDirectory(dir, v.options, std::nullopt);
    EXPECT_TRUE(result.written);
    EXPECT_EQ(result.summary.matmuls, v.matmuls);
    EXPECT_EQ(result.summary.attentions, v.attentions);
    EXPECT_EQ(result.summary.embeddings, v.embeddings);
    EXPECT_EQ(result.summary.kept_float, v.options.keep_float.empty() ? 0u : 1u);
    EXPECT_LT(result.summary.output_bytes, result.summary.input_bytes);
    const Agreement agreement = Compare(dir / kModelFile, dir / kQuantizedModelFile);
    EXPECT_LE(agreement.max_difference, 0.25);  // logits are a few units wide
    EXPECT_GE(agreement.same_top1 * 10, agreement.rows * 9) << agreement.same_top1 << "/" << agreement.rows;
  }
}

TEST(Quantize, EmbeddingQuantizationNeedsPlainGraph) {
  const auto dir =
      ExportTo("quantize_fused_embeddings", checkpoint::ReadCheckpoint(kFixtures / "bert"), GraphKind::kFused);
  EXPECT_THROW(QuantizeModelDirectory(dir, {false, WeightType::kS8, true}, std::nullopt), InvalidInput);
  EXPECT_FALSE(std::filesystem::exists(dir / kQuantizedModelFile));
}

TEST(Quantize, RejectsWhatIsNotAModel) {
  QuantizeSummary summary;
  EXPECT_THROW(QuantizeOnnxModel("definitely not protobuf", {}, summary), InvalidInput);
  EXPECT_THROW(QuantizeModelDirectory(testing::Scratch("no_model_here"), {}, std::nullopt), IoError);
}

// A pooler weight with one outlier: per-tensor INT8 rounds every other pooler weight to 0, so the INT8 model
// predicts (nearly) one class; per-column scales confine the damage to one column.
class QuantizeGate : public ::testing::Test {
 protected:
  void SetUp() override {
    ExportWithOutliers([](const std::string& name) { return name == "bert.pooler.dense.weight"; });
  }

  // Exports the fixture BERT with weight 0 of every matrix `chosen` names set to `outlier`, and writes valid.csv.
  template <typename Chosen>
  void ExportWithOutliers(Chosen chosen, float outlier = 400.0f) {
    checkpoint::Checkpoint checkpoint = checkpoint::ReadCheckpoint(kFixtures / "bert");
    for (auto& [name, tensor] : checkpoint.weights) {
      if (chosen(name)) tensor.data[0] = outlier;
    }
    const std::vector<std::string> texts = {"hi",
                                            "balance please",
                                            "how much money is left",
                                            "call me an operator",
                                            "roaming in spain",
                                            "internet is slow",
                                            "change my tariff",
                                            "what is my plan",
                                            "top up 100",
                                            "the app crashed again",
                                            "I lost my sim card",
                                            "is 5g available here",
                                            "cancel my subscription",
                                            "why was I charged twice",
                                            "send me the invoice",
                                            "hello there",
                                            "unlock my phone",
                                            "data abroad",
                                            "pay the bill",
                                            "thanks bye"};
    // A random head predicts one class for every text; shifting its bias by the mean logits spreads the
    // predictions over the classes. Labels = the fp32 model's predictions, so fp32 F1 is 100.
    // One directory per test: ctest runs this fixture's tests in parallel processes.
    scratch_ = std::string("quantize_gate_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = ExportTo(scratch_, checkpoint, GraphKind::kFused);
    std::vector<std::vector<float>> logits = testing::LoadModel(dir_ / kModelFile)->Logits(texts);
    auto& bias = checkpoint.weights.at("classifier.bias").data;
    for (std::size_t k = 0; k < bias.size(); ++k) {
      float mean = 0;
      for (const auto& row : logits) mean += row[k] / static_cast<float>(logits.size());
      bias[k] -= mean;
      for (auto& row : logits) row[k] -= mean;
    }
    dir_ = ExportTo(scratch_, checkpoint, GraphKind::kFused);
    const auto config = checkpoint::ReadModelConfig(dir_ / "config.json");
    std::ofstream out(dir_ / "valid.csv");
    out << "text,label\n";
    for (std::size_t i = 0; i < texts.size(); ++i) {
      out << '"' << texts[i] << "\"," << config.labels[static_cast<std::size_t>(testing::ArgMax(logits[i]))] << '\n';
    }
  }
  std::string scratch_;
  std::filesystem::path dir_;
};

TEST_F(QuantizeGate, RefusesLargeDropAndWritesNothing) {
  std::ofstream(dir_ / kQuantizedModelFile) << "previous int8 model";
  AccuracyGate gate{dir_ / "valid.csv", 1.0, false};
  const auto result = QuantizeModelDirectory(dir_, {false, WeightType::kS8, false}, gate);
  ASSERT_TRUE(result.gate.has_value());
  EXPECT_NEAR(result.gate->fp32_f1, 100.0, 1e-9);
  EXPECT_GT(result.gate->fp32_f1 - result.gate->int8_f1, 1.0);
  EXPECT_FALSE(result.gate->passed);
  EXPECT_FALSE(result.written);
  EXPECT_TRUE(ReadBinaryFile(dir_ / kQuantizedModelFile) == "previous int8 model");
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }

  gate.force = true;
  const auto forced = QuantizeModelDirectory(dir_, {false, WeightType::kS8, false}, gate);
  EXPECT_TRUE(forced.written);
  EXPECT_TRUE(ReadBinaryFile(dir_ / kQuantizedModelFile) != "previous int8 model");
}

TEST_F(QuantizeGate, PerChannelScalesLoseLessThanPerTensor) {
  const AccuracyGate lenient{dir_ / "valid.csv", 100.0, false};
  const auto per_tensor = QuantizeModelDirectory(dir_, {false, WeightType::kS8, false}, lenient);
  const auto per_channel = QuantizeModelDirectory(dir_, {true, WeightType::kS8, false}, lenient);
  ASSERT_TRUE(per_tensor.gate && per_channel.gate);
  EXPECT_TRUE(per_channel.written);
  EXPECT_GT(per_channel.gate->int8_f1, per_tensor.gate->int8_f1 + 10.0);
  EXPECT_GT(per_channel.gate->agreement, per_tensor.gate->agreement);
}

// An outlier weight in every block's output projection (attention.output.dense, output.dense), large against the
// other weights (about 0.02) but small enough to leave the activations' ranges alone: per-tensor INT8 rounds
// those matrices' other weights to a step or two, and the default quantization's second rung keeps them float.
class QuantizeEscalation : public QuantizeGate {
 protected:
  void SetUp() override {
    ExportWithOutliers(
        [](const std::string& name) {
          return name.size() > 19 && name.compare(name.size() - 19, 19, "output.dense.weight") == 0;
        },
        5.0f);
  }
};

TEST_F(QuantizeEscalation, AGateDropOverTheTargetKeepsTheOutputProjectionsFloat) {
  const AccuracyGate gate{dir_ / "valid.csv", 100.0, false, 0.5};
  QuantizeOptions options{false, WeightType::kS8, false};
  options.escalate = true;
  const auto result = QuantizeModelDirectory(dir_, options, gate);
  ASSERT_TRUE(result.written && result.gate);
  ASSERT_EQ(result.set_aside.size(), 1u);
  const auto& first = result.set_aside.front();
  EXPECT_EQ(first.keep_float, kDefaultKeepFloat);
  EXPECT_GT(first.gate.fp32_f1 - first.gate.int8_f1, 0.5);
  EXPECT_LT(result.gate->fp32_f1 - result.gate->int8_f1, first.gate.fp32_f1 - first.gate.int8_f1);
  EXPECT_NE(std::find(result.keep_float.begin(), result.keep_float.end(), "output.dense"), result.keep_float.end());
  EXPECT_GT(result.summary.kept_float, first.summary.kept_float);

  // Without escalation (an explicit --keep-float), the first rung is what is written.
  options.escalate = false;
  const auto fixed = QuantizeModelDirectory(dir_, options, gate);
  EXPECT_TRUE(fixed.set_aside.empty());
  EXPECT_EQ(fixed.keep_float, kDefaultKeepFloat);
  EXPECT_NEAR(fixed.gate->int8_f1, first.gate.int8_f1, 1e-9);
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

TEST_F(QuantizeGate, ADropWithinTheTargetNeverTriesTheSecondRung) {
  const AccuracyGate gate{dir_ / "valid.csv", 100.0, false, 100.0};
  QuantizeOptions options{false, WeightType::kS8, false};
  options.escalate = true;
  const auto result = QuantizeModelDirectory(dir_, options, gate);
  EXPECT_TRUE(result.set_aside.empty());
  EXPECT_EQ(result.keep_float, kDefaultKeepFloat);
}

}  // namespace
}  // namespace fastintent::exporter
