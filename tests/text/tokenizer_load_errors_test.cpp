// Malformed tokenizer.json files of the SentencePiece family: each is refused with InvalidInput naming the
// field and what is wrong, before anything is sized by a number from the file.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fastintent/common/error.h"
#include "fastintent/text/tokenizer.h"
#include "temp_dir.h"

namespace {

using fastintent::testing::TempDir;
using fastintent::text::Tokenizer;

constexpr const char* kModel = R"("model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.0]]})";

// Loads `json` and returns the InvalidInput message ("" if it loaded).
std::string LoadError(const std::string& json) {
  TempDir dir;
  dir.Write("tokenizer.json", json);
  try {
    Tokenizer::Load(dir.path());
  } catch (const fastintent::InvalidInput& e) {
    return e.what();
  }
  return "";
}

std::string WithNormalizer(const std::string& normalizer) {
  return "{" + std::string(kModel) + R"(, "normalizer": )" + normalizer + "}";
}

std::string Base64(const std::vector<std::uint8_t>& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t n =
        bytes[i] << 16 | (i + 1 < bytes.size() ? bytes[i + 1] << 8 : 0) | (i + 2 < bytes.size() ? bytes[i + 2] : 0);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += i + 1 < bytes.size() ? kAlphabet[n >> 6 & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::string Charsmap(const std::vector<std::uint8_t>& blob) {
  return R"({"type": "Precompiled", "precompiled_charsmap": ")" + Base64(blob) + R"("})";
}

#define EXPECT_REFUSED(json, ...)                                                    \
  do {                                                                               \
    const std::string message = LoadError(json);                                     \
    ASSERT_FALSE(message.empty()) << "loaded: " << (json);                           \
    for (const char* part : {__VA_ARGS__})                                           \
      EXPECT_NE(message.find(part), std::string::npos) << part << " in " << message; \
  } while (false)

TEST(TokenizerLoadErrors, UnigramVocabulary) {
  EXPECT_REFUSED(R"({"model": {"type": "Unigram", "unk_id": null, "vocab": [["a", -1.0]]}})", "model.unk_id", "null");
  EXPECT_REFUSED(R"({"model": {"type": "Unigram", "unk_id": 99, "vocab": [["a", -1.0]]}})", "unk_id 99", "1 pieces");
  EXPECT_REFUSED(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", -1.0], ["b"]]}})", "vocab[1]");
  EXPECT_REFUSED(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", "x"]]}})", "vocab[0]", "finite score");
  EXPECT_REFUSED(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", 1e400]]}})", "1e400");
  EXPECT_REFUSED(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": []}})", "empty vocabulary");
  EXPECT_REFUSED(R"({"model": {"type": "BPE", "vocab": {}, "merges": []}})", "model.type", "BPE");
}

TEST(TokenizerLoadErrors, PrecompiledCharsmap) {
  EXPECT_REFUSED(WithNormalizer(R"({"type": "Precompiled", "precompiled_charsmap": "abc"})"), "base64");
  EXPECT_REFUSED(WithNormalizer(R"({"type": "Precompiled", "precompiled_charsmap": "ab=c"})"), "base64");
  // A trie size larger than what follows it (no allocation of the claimed size).
  EXPECT_REFUSED(WithNormalizer(Charsmap({0xFC, 0xFF, 0xFF, 0xFF, 1, 2, 3})), "trie size 4294967292");
  EXPECT_REFUSED(WithNormalizer(Charsmap({0x00, 0x00})), "at least the 4-byte trie size");
  EXPECT_REFUSED(WithNormalizer(Charsmap({0, 0, 0, 0})), "empty trie");
  // One unit: every byte from the root leads past the array.
  EXPECT_REFUSED(WithNormalizer(Charsmap({4, 0, 0, 0, 0, 0, 0, 0})), "past the 1 units");
  // 256 units, the root's child 'a' (97) has a leaf whose value points past the 2 string bytes.
  std::vector<std::uint8_t> blob = {0x00, 0x04, 0x00, 0x00};  // 1024 bytes of trie
  std::vector<std::uint32_t> units(256, 0);
  units[97] = 97 | 1u << 8 | (97u ^ 128u) << 10;  // label 'a', has leaf, value at 97 ^ offset = 128
  units[128] = 0x80000000u | 50;
  for (std::uint32_t u : units) {
    for (int k = 0; k < 4; ++k) blob.push_back(static_cast<std::uint8_t>(u >> (8 * k)));
  }
  blob.push_back('b');
  blob.push_back(0);
  EXPECT_REFUSED(WithNormalizer(Charsmap(blob)), "trie value 50");
  blob.resize(blob.size() - 2);
  blob.push_back(0xFF);  // the replacement strings must be UTF-8
  EXPECT_REFUSED(WithNormalizer(Charsmap(blob)), "not valid UTF-8");
}

TEST(TokenizerLoadErrors, NormalizersAndPatterns) {
  EXPECT_REFUSED(WithNormalizer(R"({"type": "Strip", "strip_left": true})"), "strip_right");
  EXPECT_REFUSED(WithNormalizer(R"j({"type": "Replace", "pattern": {"Regex": "(a|b)"}, "content": ""})j"),
                 "pattern.Regex", "not supported");
  EXPECT_REFUSED(WithNormalizer(R"({"type": "Replace", "pattern": {"Regex": " *"}, "content": ""})"), "empty string");
  EXPECT_REFUSED(WithNormalizer(R"({"type": "Replace", "pattern": {"Regex": "\\d+"}, "content": ""})"), "\\d");
  EXPECT_REFUSED(WithNormalizer(R"({"type": "Replace", "pattern": {"String": ""}, "content": "x"})"), "empty string");
  EXPECT_REFUSED(WithNormalizer(R"({"type": "Replace", "pattern": "x", "content": "x"})"), "normalizer.pattern");
  EXPECT_REFUSED(WithNormalizer(R"({"type": "Prepend", "prepend": "x"})"), "normalizer.type", "Prepend");
  std::string nested = R"({"type": "Lowercase"})";
  for (int i = 0; i < 20; ++i) nested = R"({"type": "Sequence", "normalizers": [)" + nested + "]}";
  EXPECT_REFUSED(WithNormalizer(nested), "nested");
}

TEST(TokenizerLoadErrors, Metaspace) {
  auto with = [](const std::string& pre) { return "{" + std::string(kModel) + R"(, "pre_tokenizer": )" + pre + "}"; };
  EXPECT_REFUSED(with(R"({"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": false})"),
                 "add_prefix_space", "never");
  EXPECT_REFUSED(with(R"({"type": "Metaspace", "replacement": "ab", "prepend_scheme": "always"})"),
                 "exactly one character");
  EXPECT_REFUSED(with(R"({"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "sometimes"})"),
                 "prepend_scheme");
  EXPECT_REFUSED(with(R"({"type": "ByteLevel", "add_prefix_space": false})"), "pre_tokenizer.type", "ByteLevel");
  EXPECT_EQ(LoadError(with(R"({"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": false,
                               "prepend_scheme": "never"})")),
            "");
}

}  // namespace
