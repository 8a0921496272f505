// Issue 4 §4: a missing weight, a shape mismatch, an unsupported architecture, an unwritable output
// directory give clear errors, and an existing model directory is never left half-written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "export_test_support.h"
#include "fastintent/common/error.h"
#include "fastintent/export/model_files.h"
#include "fastintent/export/onnx_export.h"

namespace fastintent::exporter {
namespace {

using testing::kFixtures;

std::string ExportError(const checkpoint::Checkpoint& checkpoint) {
  try {
    BuildOnnxModel(checkpoint, {});
  } catch (const InvalidInput& error) {
    return error.what();
  }
  return "";
}

TEST(ExportErrors, MissingWeightIsNamed) {
  checkpoint::Checkpoint checkpoint = checkpoint::ReadCheckpoint(kFixtures / "bert");
  checkpoint.weights.erase("bert.encoder.layer.1.intermediate.dense.bias");
  EXPECT_NE(ExportError(checkpoint).find("missing weight \"bert.encoder.layer.1.intermediate.dense.bias\""),
            std::string::npos)
      << ExportError(checkpoint);
}

TEST(ExportErrors, ShapeMismatchIsNamed) {
  checkpoint::Checkpoint checkpoint = checkpoint::ReadCheckpoint(kFixtures / "distilbert");
  checkpoint.config.intermediate_size = 65;
  const std::string message = ExportError(checkpoint);
  EXPECT_NE(message.find("weight \"distilbert.transformer.layer.0.ffn.lin1.weight\": got shape [64, 32], "
                         "expected [65, 32]"),
            std::string::npos)
      << message;
}

TEST(ExportErrors, BareEncoderHasNoHead) {
  const checkpoint::Checkpoint checkpoint = checkpoint::ReadCheckpoint(kFixtures / "encoder");
  EXPECT_NE(ExportError(checkpoint).find("no id2label"), std::string::npos);
}

TEST(ExportErrors, UnsupportedArchitectureAndOpset) {
  const auto dir = testing::Scratch("roberta_checkpoint");
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(kFixtures / "bert" / "model.safetensors", dir / "model.safetensors");
  std::ofstream(dir / "config.json") << R"({"model_type": "roberta", "vocab_size": 10})";
  try {
    ExportModelDirectory(dir, testing::Scratch("roberta_out"), {});
    ADD_FAILURE() << "expected InvalidInput";
  } catch (const InvalidInput& error) {
    EXPECT_NE(std::string(error.what()).find("unsupported architecture"), std::string::npos) << error.what();
  }
  ExportOptions options;
  options.opset = 12;
  const checkpoint::Checkpoint checkpoint = checkpoint::ReadCheckpoint(kFixtures / "bert");
  EXPECT_THROW(BuildOnnxModel(checkpoint, options), InvalidInput);
}

TEST(ExportErrors, FailedExportLeavesExistingDirectoryUntouched) {
  const auto out = testing::Scratch("existing_model");
  std::filesystem::create_directories(out);
  std::ofstream(out / kModelFile) << "previous model";
  const auto broken = testing::Scratch("broken_checkpoint");
  std::filesystem::create_directories(broken);
  std::filesystem::copy_file(kFixtures / "bert" / "config.json", broken / "config.json");
  std::ofstream(broken / "model.safetensors") << "truncated";
  EXPECT_THROW(ExportModelDirectory(broken, out, {}), InvalidInput);
  EXPECT_EQ(ReadBinaryFile(out / kModelFile), "previous model");
  // No staging directory is left beside it.
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out.parent_path())) {
    entries += entry.path().filename().string().find("existing_model") != std::string::npos;
  }
  EXPECT_EQ(entries, 1u);
}

TEST(ExportErrors, UnwritableOutputDirectory) {
  const auto blocker = testing::Scratch("a_file");
  std::ofstream(blocker) << "not a directory";
  EXPECT_THROW(ExportModelDirectory(kFixtures / "bert", blocker / "model", {}), IoError);
}

}  // namespace
}  // namespace fastintent::exporter
