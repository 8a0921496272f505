// Behaviour of the public Tokenizer API on the shipped tokenizers (assets/tokenizers): saved settings,
// option overrides, padding, pairs, offsets, batches, errors. Exact ids against the references are the
// parity test's job; ids asserted here were printed by Hugging Face tokenizers 0.20.3.
#include "fastintent/text/tokenizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "fastintent/common/error.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using namespace fastintent::text;

namespace {

fs::path Shared() { return fs::path(FASTINTENT_TEST_ASSETS_DIR) / "tokenizers"; }

EncodeOptions Plain() {
  EncodeOptions o;
  o.truncation = false;
  o.padding = PaddingStrategy::kNone;
  return o;
}

using fastintent::testing::TempDir;

TEST(Tokenizer, RussianTextMatchesReferenceIds) {
  const Tokenizer t = Tokenizer::Load(Shared() / "rubert-tiny2");
  EXPECT_EQ(t.Encode("Привет, как дела?", Plain()).ids, (std::vector<std::int64_t>{2, 51343, 16, 1150, 7843, 35, 3}));
  EXPECT_EQ(t.Encode("ё й Ёлка ЙОД", Plain()).ids,
            (std::vector<std::int64_t>{2, 345, 321, 266, 9772, 289, 4843, 6864, 3}));
}

TEST(Tokenizer, UncasedStripsAccentsAndLowercases) {
  const Tokenizer t = Tokenizer::Load(Shared() / "all-MiniLM-L6-v2");
  EXPECT_EQ(t.Encode("Hello world, I lost my card :(", Plain()).ids,
            (std::vector<std::int64_t>{101, 7592, 2088, 1010, 1045, 2439, 2026, 4003, 1024, 1006, 102}));
  EXPECT_EQ(t.Encode("HÉLLO", Plain()).ids, t.Encode("hello", Plain()).ids);
}

TEST(Tokenizer, SavedFixedPaddingAppliesByDefaultAndOptionsOverrideIt) {
  const Tokenizer t = Tokenizer::Load(Shared() / "all-MiniLM-L6-v2");
  const Encoding saved = t.Encode("hello");
  ASSERT_EQ(saved.ids.size(), 128u);
  EXPECT_EQ(saved.attention_mask[2], 1);
  EXPECT_EQ(saved.attention_mask[3], 0);
  EXPECT_EQ(saved.ids[3], t.pad_id());
  EXPECT_EQ(t.Encode("hello", Plain()).ids.size(), 3u);
  EXPECT_EQ(t.saved_max_length(), 128u);
}

TEST(Tokenizer, SavedTruncationCutsLongTextAndSetsTheFlag) {
  const Tokenizer t = Tokenizer::Load(Shared() / "rubert-tiny2");
  std::string text;
  for (int i = 0; i < 700; ++i) text += "слово ";
  const Encoding e = t.Encode(text);
  EXPECT_EQ(e.ids.size(), 512u);
  EXPECT_TRUE(e.truncated);
  EXPECT_EQ(e.ids.back(), 3);  // [SEP] survives truncation
  EXPECT_EQ(t.Encode(text, Plain()).ids.size(), 702u);
  EXPECT_FALSE(t.Encode("коротко").truncated);
}

TEST(Tokenizer, MaxLengthOverrideAndTooSmallMaxLength) {
  const Tokenizer t = Tokenizer::Load(Shared() / "rubert-tiny2");
  EncodeOptions o = Plain();
  o.truncation = true;
  o.max_length = 4;
  const Encoding e = t.Encode("раз два три четыре пять", o);
  EXPECT_EQ(e.ids.size(), 4u);
  EXPECT_TRUE(e.truncated);
  o.max_length = 1;
  EXPECT_THROW(t.Encode("раз", o), fastintent::InvalidInput);
}

TEST(Tokenizer, PairsGetTypeIdsAndLongestFirstTruncation) {
  const Tokenizer t = Tokenizer::Load(Shared() / "all-MiniLM-L6-v2");
  const Encoding e = t.EncodePair("my card", "it was stolen", Plain());
  EXPECT_EQ(e.ids, (std::vector<std::int64_t>{101, 2026, 4003, 102, 2009, 2001, 7376, 102}));
  EXPECT_EQ(e.type_ids, (std::vector<std::int64_t>{0, 0, 0, 0, 1, 1, 1, 1}));
  EncodeOptions o = Plain();
  o.truncation = true;
  o.max_length = 7;
  const Encoding cut = t.EncodePair("my card", "it was stolen", o);
  EXPECT_EQ(cut.ids, (std::vector<std::int64_t>{101, 2026, 4003, 102, 2009, 2001, 102}));
}

TEST(Tokenizer, OffsetsAndTokensPointIntoTheOriginalBytes) {
  const Tokenizer t = Tokenizer::Load(Shared() / "rubert-tiny2");
  EncodeOptions o = Plain();
  o.with_offsets = true;
  o.with_tokens = true;
  const std::string text = "Хочу  тариф!";
  const Encoding e = t.Encode(text, o);
  ASSERT_EQ(e.offsets.size(), e.ids.size());
  ASSERT_EQ(e.tokens.size(), e.ids.size());
  EXPECT_EQ(e.tokens.front(), "[CLS]");
  EXPECT_EQ(e.offsets.front(), (std::pair<std::size_t, std::size_t>{0, 0}));
  EXPECT_EQ(text.substr(e.offsets[1].first, e.offsets[1].second - e.offsets[1].first), "Хочу");
  EXPECT_EQ(text.substr(e.offsets[2].first, e.offsets[2].second - e.offsets[2].first), "тариф");
  EXPECT_EQ(e.tokens[3], "!");
}

TEST(Tokenizer, BatchPadsToLongestAndMatchesSingleEncodes) {
  const Tokenizer t = Tokenizer::Load(Shared() / "rubert-tiny2");
  const std::vector<std::string> texts = {"да", "хочу сменить тариф на безлимит", "", "Ёлка\xff"};
  EncodeOptions o;
  o.padding = PaddingStrategy::kLongest;
  o.pad_to_multiple_of = 4;
  const auto batch = t.EncodeBatch(texts, o, 3);
  ASSERT_EQ(batch.size(), texts.size());
  std::size_t longest = 0;
  for (const auto& text : texts) longest = std::max(longest, t.Encode(text, Plain()).ids.size());
  const std::size_t target = (longest + 3) / 4 * 4;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const Encoding single = t.Encode(texts[i], Plain());
    ASSERT_EQ(batch[i].ids.size(), target);
    EXPECT_TRUE(std::equal(single.ids.begin(), single.ids.end(), batch[i].ids.begin()));
    for (std::size_t k = single.ids.size(); k < target; ++k) {
      EXPECT_EQ(batch[i].ids[k], t.pad_id());
      EXPECT_EQ(batch[i].attention_mask[k], 0);
    }
  }
}

TEST(Tokenizer, PaddingToMaxLength) {
  const Tokenizer t = Tokenizer::Load(Shared() / "rubert-tiny2");
  EncodeOptions o = Plain();
  o.padding = PaddingStrategy::kMaxLength;
  o.max_length = 10;
  const Encoding e = t.Encode("привет", o);
  EXPECT_EQ(e.ids.size(), 10u);
  EXPECT_EQ(e.attention_mask, (std::vector<std::int64_t>{1, 1, 1, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(Tokenizer, VocabTxtFormLoadsAndHasNoSavedLength) {
  const Tokenizer t = Tokenizer::Load(Shared() / "bert-base-uncased");
  EXPECT_EQ(t.vocab_size(), 30522u);
  EXPECT_EQ(t.TokenToId("[CLS]"), 101);
  EXPECT_EQ(t.IdToToken(7592), "hello");
  EXPECT_FALSE(t.saved_max_length().has_value());
  EXPECT_EQ(t.Encode("Hello World").ids, (std::vector<std::int64_t>{101, 7592, 2088, 102}));
  EXPECT_FALSE(t.TokenToId("no-such-token-here").has_value());
}

TEST(Tokenizer, SpecialTokensInTextAreMatched) {
  const Tokenizer t = Tokenizer::Load(Shared() / "rubert-tiny2");
  EXPECT_EQ(t.Encode("a[SEP]b", Plain()).ids, (std::vector<std::int64_t>{2, 68, 3, 69, 3}));
}

TEST(Tokenizer, ManyThreadsShareOneTokenizer) {
  const Tokenizer t = Tokenizer::Load(Shared() / "rubert-tiny2");
  const std::vector<std::int64_t> expected = t.Encode("Здравствуйте, не работает интернет", Plain()).ids;
  std::vector<int> mismatches(8, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 8; ++k) {
    threads.emplace_back([&, k] {
      for (int i = 0; i < 2000; ++i) {
        if (t.Encode("Здравствуйте, не работает интернет", Plain()).ids != expected) ++mismatches[k];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(TokenizerLoad, MissingPathIsAnIoError) {
  try {
    Tokenizer::Load("/nonexistent/tokenizer/dir");
    FAIL() << "expected IoError";
  } catch (const fastintent::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/tokenizer/dir"), std::string::npos);
  }
}

TEST(TokenizerLoad, EmptyDirectoryNamesWhatIsMissing) {
  TempDir dir;
  try {
    Tokenizer::Load(dir.path());
    FAIL() << "expected IoError";
  } catch (const fastintent::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("tokenizer.json"), std::string::npos);
  }
}

TEST(TokenizerLoad, BrokenJsonIsInvalidInputWithTheFileName) {
  TempDir dir;
  dir.Write("tokenizer.json", "{\"model\": [");
  try {
    Tokenizer::Load(dir.path());
    FAIL() << "expected InvalidInput";
  } catch (const fastintent::InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("tokenizer.json"), std::string::npos);
  }
}

TEST(TokenizerLoad, UnsupportedPipelinePartsAreNamed) {
  TempDir dir;
  dir.Write("tokenizer.json",
            R"({"normalizer": {"type": "ByteLevel"}, "pre_tokenizer": {"type": "BertPreTokenizer"},
                "model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1}}})");
  try {
    Tokenizer::Load(dir.path() / "tokenizer.json");
    FAIL() << "expected InvalidInput";
  } catch (const fastintent::InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("normalizer.type"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ByteLevel"), std::string::npos) << e.what();
  }
}

TEST(TokenizerLoad, VocabWithoutUnkTokenIsRejected) {
  TempDir dir;
  dir.Write("vocab.txt", "[PAD]\n[CLS]\n[SEP]\nhello\n");
  EXPECT_THROW(Tokenizer::Load(dir.path()), fastintent::InvalidInput);
}

TEST(TokenizerLoad, MinimalTokenizerJsonWorks) {
  TempDir dir;
  dir.Write(
      "tokenizer.json",
      R"({"normalizer": {"type": "BertNormalizer", "lowercase": true}, "pre_tokenizer": {"type": "BertPreTokenizer"},
                "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
                "model": {"type": "WordPiece", "unk_token": "[UNK]",
                          "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "hel": 4, "##lo": 5}}})");
  const Tokenizer t = Tokenizer::Load(dir.path());
  EXPECT_EQ(t.Encode("HELLO xyz").ids, (std::vector<std::int64_t>{2, 4, 5, 1, 3}));
}

// The token table is indexed by id: an id past the entry count (a hole, or a huge id that would size the
// table to gigabytes) is refused with the offending token named.
TEST(TokenizerLoad, VocabIdsMustBeDense) {
  TempDir dir;
  dir.Write("tokenizer.json",
            R"({"normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": {"type": "BertPreTokenizer"},
                "model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 50000000}}})");
  try {
    Tokenizer::Load(dir.path());
    FAIL() << "expected InvalidInput";
  } catch (const fastintent::InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("vocab[\"a\"]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("an id in [0, 2)"), std::string::npos) << e.what();
  }
}

}  // namespace
