// The Unigram model and the SentencePiece-family pipeline on small tokenizer.json files written here. Expected
// ids and byte offsets were printed by Hugging Face tokenizers 0.20.3 for the same files; the parity goldens
// cover real files (a trained Unigram tokenizer, multilingual-e5-small).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "fastintent/common/error.h"
#include "fastintent/text/tokenizer.h"
#include "temp_dir.h"

namespace {

using fastintent::testing::TempDir;
using fastintent::text::EncodeOptions;
using fastintent::text::Encoding;
using fastintent::text::Tokenizer;
using Offsets = std::vector<std::pair<std::size_t, std::size_t>>;

Tokenizer FromJson(const std::string& json) {
  TempDir dir;
  dir.Write("tokenizer.json", json);
  return Tokenizer::Load(dir.path());
}

EncodeOptions WithOffsets() {
  EncodeOptions o;
  o.with_offsets = true;
  return o;
}

std::string ByteVocab(const std::string& score) {
  std::string out;
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    out += std::string(", [\"") + name + "\", " + score + "]";
  }
  return out;
}

// Hugging Face's documentation example: the best path, and the two unknown "x" fused into one <unk>.
TEST(Unigram, ViterbiPathAndFusedUnknown) {
  const Tokenizer t = FromJson(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", 0.0],
      ["b", 0.0], ["c", 0.0], ["d", 0.0], ["cd", 1.0], ["ab", 2.0], ["abc", 5.0], ["abcd", 10.0]]}})");
  const Encoding e = t.Encode("abcdacdxx", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{8, 1, 5, 0}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 4}, {4, 5}, {5, 7}, {7, 9}}));
}

// Equal scores: the candidate that reaches a position first (earliest start, then shortest) stays.
TEST(Unigram, TiesKeepTheFirstCandidate) {
  const Tokenizer t = FromJson(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.0],
      ["b", -1.0], ["ab", -2.0], ["x", -1.0], ["xa", -1.5], ["aa", -1.5]]}})");
  EXPECT_EQ(t.Encode("ab").ids, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(t.Encode("xaa").ids, (std::vector<std::int64_t>{4, 6}));
  EXPECT_EQ(t.Encode("abq").ids, (std::vector<std::int64_t>{3, 0}));
}

// A fused unknown run becomes its UTF-8 bytes when every <0xXX> piece exists (each byte token points at the
// whole run), else one <unk>.
TEST(Unigram, ByteFallback) {
  const Tokenizer all = FromJson(R"({"model": {"type": "Unigram", "unk_id": 0, "byte_fallback": true,
      "vocab": [["<unk>", 0.0], ["a", -1.0])" +
                                 ByteVocab("-5.0") + "]}}");
  Encoding e = all.Encode(
      "a\xd0\xb6"
      "a",
      WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{1, 210, 184, 1}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 1}, {1, 3}, {1, 3}, {3, 4}}));
  e = all.Encode("a\xf0\x9f\x98\x80\xd0\xb6", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{1, 242, 161, 154, 130, 210, 184}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 1}, {1, 7}, {1, 7}, {1, 7}, {1, 7}, {1, 7}, {1, 7}}));
  const Tokenizer some = FromJson(R"({"model": {"type": "Unigram", "unk_id": 0, "byte_fallback": true,
      "vocab": [["<unk>", 0.0], ["a", -1.0], ["<0xD0>", -5.0]]}})");
  EXPECT_EQ(some.Encode("a\xd0\xb6"
                        "a")
                .ids,
            (std::vector<std::int64_t>{1, 0, 1}));
}

constexpr const char* kMetaspaceModel = R"("model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0],
    ["\u2581", -2.0], ["a", -3.0], ["\u2581a", -1.5], ["b", -3.0], ["\u2581b", -1.5], ["fi", -2.0],
    ["\u2581fi", -1.0]]})";

TEST(Metaspace, PrependSchemesAndReplaceOffsets) {
  const std::string replace = R"("normalizer": {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "})";
  const std::string unk = R"("added_tokens": [{"id": 0, "content": "<unk>", "single_word": false, "lstrip": false,
      "rstrip": false, "normalized": false, "special": true}])";
  auto with = [&](const std::string& pre) {
    return FromJson("{" + std::string(kMetaspaceModel) + ", " + replace + ", " + unk +
                    R"(, "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", )" + pre + "}}");
  };
  const Tokenizer always = with(R"("prepend_scheme": "always", "split": true)");
  Encoding e = always.Encode("a  b", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{3, 5}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 1}, {2, 4}}));
  e = always.Encode(" a b ", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{3, 5, 1}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 2}, {2, 4}, {4, 5}}));
  EXPECT_TRUE(always.Encode("").ids.empty());
  // "first": only the split that starts the input gets the prefix.
  const Tokenizer first = with(R"("prepend_scheme": "first", "split": true)");
  e = first.Encode("a<unk>b", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{3, 0, 4}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 1}, {1, 6}, {6, 7}}));
  EXPECT_EQ(first.Encode("<unk>a b").ids, (std::vector<std::int64_t>{0, 2, 5}));
  EXPECT_EQ(with(R"("prepend_scheme": "never", "split": true)").Encode("a b").ids, (std::vector<std::int64_t>{2, 5}));
  // The old form: add_prefix_space true is "always".
  EXPECT_EQ(with(R"("add_prefix_space": true)").Encode("a  b").ids, (std::vector<std::int64_t>{3, 5}));
}

// RobertaProcessing: <s> A </s></s> B </s>, every type id 0, and offsets moved past whitespace in the token
// string (an unknown tab here); without trim_offsets and add_prefix_space Hugging Face reads it as a
// BertProcessing.
TEST(RobertaProcessing, PairLayoutTypeIdsAndTrimmedOffsets) {
  const std::string base =
      "{" + std::string(kMetaspaceModel) +
      R"(, "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": true},
      "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0])";
  const Tokenizer roberta = FromJson(base + R"(, "trim_offsets": true, "add_prefix_space": true}})");
  Encoding e = roberta.EncodePair("a b", "b a", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{0, 3, 5, 2, 2, 5, 3, 2}));
  EXPECT_EQ(e.type_ids, std::vector<std::int64_t>(8, 0));
  e = roberta.Encode("a\tb", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{0, 3, 0, 4, 2}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 0}, {0, 1}, {2, 2}, {2, 3}, {0, 0}}));
  const Tokenizer bert = FromJson(base + "}}");
  e = bert.EncodePair("a b", "b a");
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{0, 3, 5, 2, 5, 3, 2}));
  EXPECT_EQ(e.type_ids, (std::vector<std::int64_t>{0, 0, 0, 0, 1, 1, 1}));
}

// The committed fixture (tools/tokenizer/make_unigram_fixture.py): a trained Unigram with a Precompiled
// charsmap, Metaspace, byte fallback, <mask> with lstrip and the XLM-R templates.
TEST(UnigramFixture, RussianTextChartsmapAndAddedTokens) {
  const Tokenizer t = Tokenizer::Load(std::string(FASTINTENT_TEST_FIXTURES_DIR) + "/tokenizers/unigram-small");
  Encoding e = t.Encode("Хочу сменить тариф", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{0, 5, 486, 13, 136, 21, 433, 77, 354, 2}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 0}, {0, 2}, {0, 2}, {2, 4}, {4, 6}, {6, 8}, {8, 21}, {21, 23}, {23, 34}, {0, 0}}));
  // "ﬁ" + U+0301 is one grapheme: the charsmap's "ﬁ" -> "fi" replaces all of it.
  e = t.Encode("ﬁ\u0301  top up ½ my card!", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{0, 521, 99, 71, 5, 250, 1226, 1129, 1132, 401, 10, 28, 18, 2}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 0}, {0, 5}, {6, 10}, {10, 13}, {13, 14}, {14, 16}, {14, 16}, {14, 16}, {14, 16},
                                {14, 16}, {16, 19}, {19, 24}, {24, 25}, {0, 0}}));
  e = t.Encode("привет 😀ꙮ <mask> конец", WithOffsets());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{0, 262, 5, 1240, 1159, 1152, 1128, 1234, 1153, 1174, 4, 396, 352, 992, 2}));
  EXPECT_EQ(e.offsets[10], (std::pair<std::size_t, std::size_t>{20, 27}));  // <mask> took the space on its left
  EXPECT_EQ(t.Encode("").ids, (std::vector<std::int64_t>{0, 2}));
  e = t.EncodePair("Хочу сменить тариф", "top up");
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{0, 5, 486, 13, 136, 21, 433, 77, 354, 2, 2, 99, 71, 2}));
  EXPECT_EQ(e.type_ids, std::vector<std::int64_t>(14, 0));
  EXPECT_EQ(t.pad_id(), 1);
}

// Without saved padding the XLM-R name of the padding token gives pad_id.
TEST(Unigram, PadIdFromThePadPiece) {
  const Tokenizer t = FromJson(R"({"model": {"type": "Unigram", "unk_id": 3, "vocab": [["<s>", 0.0], ["<pad>", 0.0],
      ["</s>", 0.0], ["<unk>", 0.0], ["a", -1.0]]}})");
  EXPECT_EQ(t.pad_id(), 1);
}

}  // namespace
