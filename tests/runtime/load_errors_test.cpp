// A broken model directory gives fastintent::IoError / InvalidInput with a message naming the problem,
// never a crash. Each case starts from a copy of the committed BERT fixture and breaks one thing.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "fastintent/common/error.h"
#include "fastintent/runtime/classifier.h"
#include "fixture_paths.h"

namespace fastintent::runtime {
namespace {

namespace fs = std::filesystem;

class BrokenModelDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fastintent_runtime_" + std::to_string(std::random_device{}()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    fs::copy(testing::FixtureRoot() / "bert", dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& content) {
    std::ofstream out(dir_ / name, std::ios::binary | std::ios::trunc);
    out << content;
  }
  nlohmann::json Config() {
    std::ifstream in(dir_ / "config.json");
    return nlohmann::json::parse(in);
  }
  // Runs Load and returns the message of the expected error type.
  template <typename ErrorType>
  std::string LoadError(const ClassifierOptions& options = {}) {
    try {
      Classifier::Load(dir_, options);
    } catch (const ErrorType& e) {
      return e.what();
    }
    ADD_FAILURE() << "Load did not throw the expected error type";
    return "";
  }

  fs::path dir_;
};

TEST_F(BrokenModelDir, LoadsIntact) {
  const auto classifier = Classifier::Load(dir_);
  EXPECT_EQ(classifier->info().labels.size(), 26u);
  EXPECT_EQ(classifier->info().max_length, 128u);
  EXPECT_EQ(classifier->info().version.size(), 12u);
  EXPECT_EQ(classifier->info().input_names,
            (std::vector<std::string>{"input_ids", "attention_mask", "token_type_ids"}));
}

TEST_F(BrokenModelDir, MissingDirectory) {
  try {
    Classifier::Load(dir_ / "nope");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("no such directory"), std::string::npos) << e.what();
  }
}

TEST_F(BrokenModelDir, MissingConfig) {
  fs::remove(dir_ / "config.json");
  EXPECT_NE(LoadError<IoError>().find("config.json: missing"), std::string::npos);
}

TEST_F(BrokenModelDir, ConfigNotJson) {
  Write("config.json", "{\"id2label\": ");
  EXPECT_NE(LoadError<InvalidInput>().find("not valid JSON"), std::string::npos);
}

TEST_F(BrokenModelDir, ConfigWithoutLabels) {
  auto config = Config();
  config.erase("id2label");
  Write("config.json", config.dump());
  EXPECT_NE(LoadError<InvalidInput>().find("no 'id2label'"), std::string::npos);
}

TEST_F(BrokenModelDir, LabelIdsWithAGap) {
  auto config = Config();
  config["id2label"].erase("7");
  Write("config.json", config.dump());
  EXPECT_NE(LoadError<InvalidInput>().find("class id 7 is missing"), std::string::npos);
}

TEST_F(BrokenModelDir, OutputsDoNotMatchLabels) {
  auto config = Config();
  config["label2id"].erase(config["id2label"]["25"].get<std::string>());  // a consistent config with 25 labels
  config["id2label"].erase("25");
  Write("config.json", config.dump());
  const std::string message = LoadError<InvalidInput>();
  EXPECT_NE(message.find("26"), std::string::npos) << message;
  EXPECT_NE(message.find("25"), std::string::npos) << message;
}

TEST_F(BrokenModelDir, MissingModelFile) {
  fs::remove(dir_ / "model.onnx");
  EXPECT_NE(LoadError<IoError>().find("model.onnx: missing"), std::string::npos);
}

TEST_F(BrokenModelDir, MissingQuantizedModelSaysWhatToDo) {
  fs::remove(dir_ / "model_quantized.onnx");
  ClassifierOptions options;
  options.quantized = true;
  EXPECT_NE(LoadError<IoError>(options).find("drop --quantized"), std::string::npos);
}

TEST_F(BrokenModelDir, CorruptModelFile) {
  Write("model.onnx", "this is not a protobuf");
  EXPECT_NE(LoadError<InvalidInput>().find("ONNX Runtime cannot load it"), std::string::npos);
}

TEST_F(BrokenModelDir, MissingTokenizer) {
  fs::remove(dir_ / "tokenizer.json");
  fs::remove(dir_ / "vocab.txt");
  EXPECT_THROW(Classifier::Load(dir_), Error);
}

TEST_F(BrokenModelDir, UnknownGraphInput) {
  fs::copy_file(testing::FixtureRoot() / "unknown_input.onnx", dir_ / "model.onnx",
                fs::copy_options::overwrite_existing);
  EXPECT_NE(LoadError<InvalidInput>().find("model input 'pixel_values' is not supported"), std::string::npos);
}

TEST_F(BrokenModelDir, MaxLengthBeyondPositions) {
  ClassifierOptions options;
  options.max_length = 4096;
  EXPECT_NE(LoadError<InvalidInput>(options).find("expected 2..128"), std::string::npos);
}

TEST_F(BrokenModelDir, SeedFormRefusesPaddingToMaxLength) {
  ClassifierOptions options;
  options.model_file = dir_ / "model_seed.onnx";
  options.pad_to_max_length = true;
  EXPECT_NE(LoadError<InvalidInput>(options).find("needs an attention_mask"), std::string::npos);
}

TEST_F(BrokenModelDir, BadTokenizedInputIsRejected) {
  const auto classifier = Classifier::Load(dir_);
  EXPECT_THROW(classifier->ClassifyPrepared({PreparedText{}}), InvalidInput);
  PreparedText too_long;
  too_long.ids.assign(129, 5);
  EXPECT_THROW(classifier->ClassifyPrepared({too_long}), InvalidInput);
  PreparedText mismatched;
  mismatched.ids = {2, 5, 3};
  mismatched.type_ids = {0};
  EXPECT_THROW(classifier->ClassifyPrepared({mismatched}), InvalidInput);
}

TEST_F(BrokenModelDir, PaddingToMaxLengthKeepsResultsOfMaskedGraph) {
  ClassifierOptions padded;
  padded.pad_to_max_length = true;
  const std::vector<std::string> texts{"баланс", "I want to change my plan"};
  const auto a = Classifier::Load(dir_)->Logits(texts);
  const auto b = Classifier::Load(dir_, padded)->Logits(texts);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (std::size_t j = 0; j < a[i].size(); ++j) EXPECT_NEAR(a[i][j], b[i][j], 1e-4);
  }
}

}  // namespace
}  // namespace fastintent::runtime
