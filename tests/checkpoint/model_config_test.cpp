#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

class ModelConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("fastintent_config_test_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path Write(const std::string& text) {
    const auto file = dir_ / "config.json";
    std::ofstream(file) << text;
    return file;
  }

  std::string ErrorOf(const std::string& text) {
    try {
      ReadModelConfig(Write(text));
    } catch (const InvalidInput& error) {
      return error.what();
    }
    return "";
  }

  std::filesystem::path dir_;
};

constexpr const char* kBert = R"({"model_type": "bert", "vocab_size": 100, "hidden_size": 32,
  "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64, "max_position_embeddings": 128,
  "type_vocab_size": 2, "layer_norm_eps": 1e-7, "hidden_act": "gelu", "pad_token_id": 1,
  "id2label": {"1": "b", "0": "a"}, "label2id": {"a": 0, "b": 1}, "fallback_threshold": 0.4})";

TEST_F(ModelConfigTest, ReadsBertLayout) {
  const ModelConfig config = ReadModelConfig(Write(kBert));
  EXPECT_EQ(config.architecture, Architecture::kBert);
  EXPECT_EQ(config.vocab_size, 100u);
  EXPECT_EQ(config.hidden_size, 32u);
  EXPECT_EQ(config.num_layers, 2u);
  EXPECT_EQ(config.num_heads, 4u);
  EXPECT_EQ(config.intermediate_size, 64u);
  EXPECT_EQ(config.max_position_embeddings, 128u);
  EXPECT_EQ(config.type_vocab_size, 2u);
  EXPECT_DOUBLE_EQ(config.layer_norm_eps, 1e-7);
  EXPECT_EQ(config.pad_token_id, 1u);
  EXPECT_EQ(config.labels, (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(config.fallback_threshold.has_value());
  EXPECT_DOUBLE_EQ(*config.fallback_threshold, 0.4);
}

TEST_F(ModelConfigTest, ReadsDistilBertLayout) {
  const ModelConfig config = ReadModelConfig(Write(R"({"architectures": ["DistilBertForSequenceClassification"],
    "vocab_size": 50, "dim": 24, "n_layers": 3, "n_heads": 6, "hidden_dim": 48, "activation": "relu"})"));
  EXPECT_EQ(config.architecture, Architecture::kDistilBert);
  EXPECT_EQ(config.hidden_size, 24u);
  EXPECT_EQ(config.num_layers, 3u);
  EXPECT_EQ(config.num_heads, 6u);
  EXPECT_EQ(config.intermediate_size, 48u);
  EXPECT_EQ(config.type_vocab_size, 0u);
  EXPECT_EQ(config.hidden_act, "relu");
  EXPECT_TRUE(config.labels.empty());
  EXPECT_FALSE(config.fallback_threshold.has_value());
}

TEST_F(ModelConfigTest, WriteThenReadKeepsEveryField) {
  for (Architecture architecture : {Architecture::kBert, Architecture::kDistilBert}) {
    ModelConfig config;
    config.architecture = architecture;
    config.hidden_size = 48;
    config.num_layers = 3;
    config.num_heads = 6;
    config.intermediate_size = 96;
    config.vocab_size = 321;
    config.max_position_embeddings = 256;
    config.type_vocab_size = architecture == Architecture::kBert ? 2 : 0;
    config.hidden_act = "gelu_new";
    config.pad_token_id = 3;
    config.labels = {"x", "y", "z"};
    config.fallback_threshold = 0.25;
    config.pooling = Pooling::kMean;
    config.input_prefix = "query: ";
    const auto file = dir_ / "written.json";
    WriteModelConfig(config, file);
    const ModelConfig back = ReadModelConfig(file);
    EXPECT_EQ(back.architecture, config.architecture);
    EXPECT_EQ(back.hidden_size, config.hidden_size);
    EXPECT_EQ(back.num_layers, config.num_layers);
    EXPECT_EQ(back.num_heads, config.num_heads);
    EXPECT_EQ(back.intermediate_size, config.intermediate_size);
    EXPECT_EQ(back.vocab_size, config.vocab_size);
    EXPECT_EQ(back.max_position_embeddings, config.max_position_embeddings);
    EXPECT_EQ(back.type_vocab_size, config.type_vocab_size);
    EXPECT_EQ(back.hidden_act, config.hidden_act);
    EXPECT_EQ(back.pad_token_id, config.pad_token_id);
    EXPECT_EQ(back.labels, config.labels);
    EXPECT_EQ(back.fallback_threshold, config.fallback_threshold);
    EXPECT_EQ(back.pooling, config.pooling);
    EXPECT_EQ(back.input_prefix, config.input_prefix);
  }
}

TEST_F(ModelConfigTest, PoolingAndInputPrefixAreOptionalAndChecked) {
  const std::string base = R"({"model_type": "bert", "vocab_size": 10, "hidden_size": 4, "num_hidden_layers": 1,
    "num_attention_heads": 1, "intermediate_size": 4)";
  const ModelConfig plain = ReadModelConfig(Write(base + "}"));
  EXPECT_FALSE(plain.pooling.has_value()) << "a file that does not say leaves pooling to the loader";
  EXPECT_EQ(plain.input_prefix, "");
  const ModelConfig cls = ReadModelConfig(Write(base + R"(, "fastintent_pooling": "cls"})"));
  EXPECT_EQ(cls.pooling, Pooling::kCls);
  EXPECT_NE(ErrorOf(base + R"(, "fastintent_pooling": "max"})").find(R"(expected "cls" or "mean")"), std::string::npos);
  EXPECT_NE(ErrorOf(base + R"(, "fastintent_input_prefix": 3})").find("expected a string"), std::string::npos);
}

TEST_F(ModelConfigTest, RejectsUnsupportedArchitecture) {
  const std::string message = ErrorOf(R"({"model_type": "roberta", "vocab_size": 10})");
  EXPECT_NE(message.find("got \"roberta\""), std::string::npos) << message;
  EXPECT_NE(message.find("unsupported architecture"), std::string::npos) << message;
}

TEST_F(ModelConfigTest, NamesMissingAndMistypedFields) {
  EXPECT_NE(ErrorOf(R"({"model_type": "bert", "vocab_size": 10, "num_hidden_layers": 1,
    "num_attention_heads": 1, "intermediate_size": 4})")
                .find("\"hidden_size\" is missing"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"model_type": "bert", "vocab_size": "many"})").find("got \"many\""), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"model_type": "bert", "vocab_size": 10, "hidden_size": 10, "num_hidden_layers": 1,
    "num_attention_heads": 3, "intermediate_size": 4})")
                .find("not divisible"),
            std::string::npos);
}

TEST_F(ModelConfigTest, RejectsBadLabelMaps) {
  const std::string base = R"({"model_type": "bert", "vocab_size": 10, "hidden_size": 4, "num_hidden_layers": 1,
    "num_attention_heads": 1, "intermediate_size": 4, )";
  EXPECT_NE(ErrorOf(base + R"("id2label": {"0": "a", "2": "b"}})").find("got key \"2\""), std::string::npos);
  EXPECT_NE(ErrorOf(base + R"("id2label": {"zero": "a"}})").find("got key \"zero\""), std::string::npos);
  EXPECT_NE(ErrorOf(base + R"("id2label": {"0": "a", "1": "b"}, "label2id": {"a": 1}})").find("disagrees"),
            std::string::npos);
  EXPECT_NE(ErrorOf(base + R"("fallback_threshold": 3})").find("expected a number in [0, 1]"), std::string::npos);
}

TEST_F(ModelConfigTest, MalformedJsonAndMissingFile) {
  EXPECT_NE(ErrorOf("{\"model_type\": ").find("malformed JSON"), std::string::npos);
  EXPECT_NE(ErrorOf("{\"hidden_size\": 1e999}").find("malformed JSON"), std::string::npos);
  EXPECT_NE(ErrorOf("[1, 2]").find("expected an object"), std::string::npos);
  EXPECT_THROW(ReadModelConfig(dir_ / "absent.json"), IoError);
}

}  // namespace
}  // namespace fastintent::checkpoint
