// The data sets in data/ read through ReadExamples and keep what their data cards claim.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "fastintent/data/dataset.h"

namespace fastintent::data {
namespace {

const std::filesystem::path kDataDir = FASTINTENT_DATA_DIR;

std::map<std::string, std::size_t> Counts(const std::vector<Example>& examples) {
  std::map<std::string, std::size_t> counts;
  for (const auto& e : examples) ++counts[e.label];
  return counts;
}

std::string AsciiLower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

TEST(ShippedData, TelecomRuMatchesItsDataCard) {
  const auto train = ReadExamples(kDataDir / "telecom-ru" / "train.csv");
  const auto test = ReadExamples(kDataDir / "telecom-ru" / "test.csv");
  EXPECT_GE(train.size() + test.size(), 4000u);
  const auto train_counts = Counts(train);
  const auto test_counts = Counts(test);
  EXPECT_EQ(train_counts.size(), 26u);
  EXPECT_EQ(LabelSet(train), LabelSet(test));
  std::size_t largest = 0, smallest = train.size();
  for (const auto& [label, n] : train_counts) {
    largest = std::max(largest, n);
    smallest = std::min(smallest, n);
  }
  EXPECT_GE(largest, 8 * smallest) << "the card promises a largest/smallest ratio of at least 8";
  EXPECT_TRUE(train_counts.count("other") && train_counts.count("call_operator") &&
              train_counts.count("internet_down"));

  std::set<std::string> train_texts;
  for (const auto& e : train) train_texts.insert(AsciiLower(e.text));
  for (const auto& e : test) EXPECT_EQ(train_texts.count(AsciiLower(e.text)), 0u) << "in both splits: " << e.text;
}

TEST(ShippedData, Banking77ReadsAsIs) {
  const auto train = ReadExamples(kDataDir / "banking77" / "train.csv");
  const auto test = ReadExamples(kDataDir / "banking77" / "test.csv");
  EXPECT_EQ(train.size(), 10003u);
  EXPECT_EQ(test.size(), 3080u);
  EXPECT_EQ(LabelSet(train).size(), 77u);
  for (const auto& [label, n] : Counts(test)) EXPECT_EQ(n, 40u) << label;
}

}  // namespace
}  // namespace fastintent::data
