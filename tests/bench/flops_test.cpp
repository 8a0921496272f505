#include "fastintent/bench/flops.h"

#include <gtest/gtest.h>

#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

checkpoint::ModelConfig Tiny() {
  checkpoint::ModelConfig shape;
  shape.hidden_size = 4;
  shape.num_layers = 2;
  shape.num_heads = 2;
  shape.intermediate_size = 8;
  shape.labels = {"a", "b", "c"};
  return shape;
}

// Hand count for hidden 4, 2 layers, 2 heads (d=2), FFN 8, 3 labels, batch 2, length 3 (6 tokens):
//   Q,K,V,O per layer: 4 matmuls x 6 tokens x 4x4 MACs = 384 MACs; 2 layers = 768 MACs = 1536 FLOP
//   scores per layer: 2 seqs x 2 heads x (3x2 @ 2x3 = 18 MACs) = 72 MACs; context the same = 72;
//     2 layers = 288 MACs = 576 FLOP
//   FFN per layer: 6 tokens x (4x8 + 8x4) = 384 MACs; 2 layers = 768 MACs = 1536 FLOP
//   head: 2 seqs x (4x4 pooler + 4x3 classifier) = 56 MACs = 112 FLOP
TEST(Flops, MatchesHandCountForTinyShape) {
  const FlopCount count = CountForwardFlops(Tiny(), 2, 3);
  EXPECT_DOUBLE_EQ(count.projections, 1536.0);
  EXPECT_DOUBLE_EQ(count.attention, 576.0);
  EXPECT_DOUBLE_EQ(count.ffn, 1536.0);
  EXPECT_DOUBLE_EQ(count.head, 112.0);
  EXPECT_DOUBLE_EQ(count.total(), 1536.0 + 576.0 + 1536.0 + 112.0);
}

TEST(Flops, AttentionGrowsWithSquareOfLengthOthersLinearly) {
  const FlopCount at16 = CountForwardFlops(Tiny(), 1, 16);
  const FlopCount at32 = CountForwardFlops(Tiny(), 1, 32);
  EXPECT_DOUBLE_EQ(at32.attention, 4.0 * at16.attention);
  EXPECT_DOUBLE_EQ(at32.projections, 2.0 * at16.projections);
  EXPECT_DOUBLE_EQ(at32.ffn, 2.0 * at16.ffn);
  EXPECT_DOUBLE_EQ(at32.head, at16.head);
}

TEST(Flops, LinearInBatch) {
  const FlopCount one = CountForwardFlops(Tiny(), 1, 7);
  const FlopCount many = CountForwardFlops(Tiny(), 5, 7);
  EXPECT_DOUBLE_EQ(many.total(), 5.0 * one.total());
}

TEST(Flops, RejectsHeadsThatDoNotDivideHidden) {
  checkpoint::ModelConfig shape = Tiny();
  shape.num_heads = 3;
  EXPECT_THROW(CountForwardFlops(shape, 1, 4), InvalidInput);
  shape = Tiny();
  shape.hidden_size = 0;
  EXPECT_THROW(CountForwardFlops(shape, 1, 4), InvalidInput);
}

}  // namespace
}  // namespace fastintent::bench
