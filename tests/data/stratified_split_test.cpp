#include <gtest/gtest.h>

#include <map>

#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"

namespace fastintent::data {
namespace {

std::vector<Example> Make(const std::map<std::string, int>& counts) {
  std::vector<Example> examples;
  for (const auto& [label, count] : counts) {
    for (int i = 0; i < count; ++i) examples.push_back({label + " text " + std::to_string(i), label});
  }
  return examples;
}

std::map<std::string, int> Count(const std::vector<Example>& examples) {
  std::map<std::string, int> counts;
  for (const auto& e : examples) ++counts[e.label];
  return counts;
}

TEST(StratifiedSplit, KeepsProportionsPerLabel) {
  auto split = StratifiedSplit(Make({{"a", 100}, {"b", 20}, {"c", 2}, {"d", 3}}), 0.1, 42);
  auto valid = Count(split.valid);
  auto train = Count(split.train);
  EXPECT_EQ(valid["a"], 10);
  EXPECT_EQ(valid["b"], 2);
  EXPECT_EQ(valid["c"], 1);  // at least one in valid, at least one left in train
  EXPECT_EQ(train["c"], 1);
  EXPECT_EQ(valid["d"], 1);
  EXPECT_EQ(train["a"], 90);
  EXPECT_EQ(split.train.size() + split.valid.size(), 125u);
}

TEST(StratifiedSplit, DeterministicPerSeedAndSeedMatters) {
  auto examples = Make({{"a", 50}, {"b", 30}});
  auto first = StratifiedSplit(examples, 0.2, 7);
  auto again = StratifiedSplit(examples, 0.2, 7);
  auto other = StratifiedSplit(examples, 0.2, 8);
  auto texts = [](const std::vector<Example>& v) {
    std::vector<std::string> t;
    for (const auto& e : v) t.push_back(e.text);
    return t;
  };
  EXPECT_EQ(texts(first.valid), texts(again.valid));
  EXPECT_NE(texts(first.valid), texts(other.valid));
}

TEST(StratifiedSplit, NoExampleLostOrDuplicated) {
  auto examples = Make({{"a", 17}, {"b", 9}, {"c", 4}});
  auto split = StratifiedSplit(examples, 0.3, 1);
  std::map<std::string, int> seen;
  for (const auto& e : split.train) ++seen[e.text];
  for (const auto& e : split.valid) ++seen[e.text];
  EXPECT_EQ(seen.size(), examples.size());
  for (const auto& [text, n] : seen) EXPECT_EQ(n, 1) << text;
}

TEST(StratifiedSplit, SingleExampleLabelIsAClearError) {
  try {
    StratifiedSplit(Make({{"a", 5}, {"lonely", 1}}), 0.2, 1);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& error) {
    EXPECT_NE(std::string(error.what()).find("\"lonely\" has 1 example"), std::string::npos) << error.what();
  }
}

TEST(StratifiedSplit, FractionOutOfRange) {
  EXPECT_THROW(StratifiedSplit(Make({{"a", 5}}), 0.0, 1), InvalidInput);
  EXPECT_THROW(StratifiedSplit(Make({{"a", 5}}), 1.0, 1), InvalidInput);
}

}  // namespace
}  // namespace fastintent::data
