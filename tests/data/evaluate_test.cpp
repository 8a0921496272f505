#include "fastintent/data/evaluate.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fastintent/common/error.h"

namespace fastintent::data {
namespace {

// Predicts the text itself as the label, with a score read from the text length.
std::vector<TopPrediction> Echo(const std::vector<std::string>& texts) {
  std::vector<TopPrediction> out;
  for (const auto& t : texts) out.push_back({t, t.size() > 1 ? 0.9f : 0.3f});
  return out;
}

TEST(Evaluate, BatchesAndComputesMetrics) {
  std::vector<Example> examples{{"a", "a"}, {"bb", "bb"}, {"a", "bb"}, {"bb", "bb"}, {"zz", "new"}};
  std::size_t calls = 0;
  EvaluateOptions options;
  options.batch_size = 2;
  options.fallback_thresholds = {0.0, 0.5};
  auto e = Evaluate(
      examples, {"a", "bb"},
      [&](const std::vector<std::string>& texts) {
        ++calls;
        EXPECT_LE(texts.size(), 2u);
        return Echo(texts);
      },
      options);
  EXPECT_EQ(calls, 3u);
  // "new" is a data label the model lacks; "zz" is a predicted label outside both lists.
  EXPECT_EQ(e.labels, (std::vector<std::string>{"a", "bb", "new", "zz"}));
  EXPECT_EQ(e.examples_with_unknown_label, 1u);
  EXPECT_DOUBLE_EQ(e.metrics.accuracy, 3.0 / 5.0);
  EXPECT_EQ(e.metrics.confusion[1][0], 1u);
  ASSERT_EQ(e.fallback.size(), 2u);
  EXPECT_DOUBLE_EQ(e.fallback[1].fallback_rate, 2.0 / 5.0);  // the two "a" texts score 0.3
  EXPECT_DOUBLE_EQ(e.fallback[1].accuracy_of_rest, 2.0 / 3.0);
}

TEST(Evaluate, RejectsBadInput) {
  EXPECT_THROW(Evaluate({}, {"a"}, Echo), InvalidInput);
  EvaluateOptions zero;
  zero.batch_size = 0;
  EXPECT_THROW(Evaluate({{"a", "a"}}, {"a"}, Echo, zero), InvalidInput);
  EXPECT_THROW(
      Evaluate({{"a", "a"}}, {"a"}, [](const std::vector<std::string>&) { return std::vector<TopPrediction>{}; }),
      InvalidInput);
}

TEST(EvaluationReport, JsonAndMarkdownCarryTheNumbers) {
  EvaluateOptions options;
  options.fallback_thresholds = DefaultFallbackThresholds();
  auto e = Evaluate({{"a", "a"}, {"bb", "bb"}, {"a", "b|c"}}, {"a", "bb", "b|c"}, Echo, options);
  EvaluationContext context{{{"model", "m"}, {"runtime", "test"}}};
  auto j = nlohmann::json::parse(EvaluationToJson(e, context));
  EXPECT_EQ(j["context"]["runtime"], "test");
  EXPECT_EQ(j["count"], 3);
  EXPECT_NEAR(j["accuracy"].get<double>(), 2.0 / 3.0, 1e-12);
  EXPECT_EQ(j["per_class"].size(), 3u);
  EXPECT_EQ(j["confusion"][2][0], 1);
  EXPECT_EQ(j["fallback"].size(), DefaultFallbackThresholds().size());

  auto md = EvaluationToMarkdown(e, context);
  EXPECT_NE(md.find("| 3 | 0.6667 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| b\\|c | 0.0000 | 0.0000 | 0.0000 | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| b\\|c | a | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("Fallback"), std::string::npos) << md;
}

}  // namespace
}  // namespace fastintent::data
