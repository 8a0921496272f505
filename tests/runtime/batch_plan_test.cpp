#include "batch_plan.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace fastintent::runtime {
namespace {

std::vector<std::size_t> Flatten(const std::vector<std::vector<std::size_t>>& batches) {
  std::vector<std::size_t> all;
  for (const auto& batch : batches) all.insert(all.end(), batch.begin(), batch.end());
  return all;
}

TEST(PlanBatches, SortsByLengthStablyAndCaps) {
  const std::vector<std::size_t> lengths{5, 2, 9, 2, 5};
  const auto batches = PlanBatches(lengths, 2, false);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0], (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(batches[1], (std::vector<std::size_t>{0, 4}));
  EXPECT_EQ(batches[2], (std::vector<std::size_t>{2}));
}

TEST(PlanBatches, MixesLengthsWhenPaddingIsMasked) {
  const auto batches = PlanBatches({3, 7, 4}, 8, false);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0], (std::vector<std::size_t>{0, 2, 1}));
}

TEST(PlanBatches, EqualLengthsOnlyNeverMixesLengths) {
  const std::vector<std::size_t> lengths{3, 7, 3, 4, 7, 7};
  const auto batches = PlanBatches(lengths, 2, true);
  for (const auto& batch : batches) {
    ASSERT_FALSE(batch.empty());
    ASSERT_LE(batch.size(), 2u);
    for (std::size_t index : batch) EXPECT_EQ(lengths[index], lengths[batch.front()]);
  }
  auto all = Flatten(batches);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(batches.size(), 4u);  // {0,2} {3} {1,4} {5}
}

TEST(PlanBatches, EmptyInputAndZeroCap) {
  EXPECT_TRUE(PlanBatches({}, 4, false).empty());
  EXPECT_EQ(PlanBatches({1, 1}, 0, false).size(), 2u);
}

}  // namespace
}  // namespace fastintent::runtime
