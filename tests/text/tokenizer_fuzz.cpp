// libFuzzer target: arbitrary bytes through every tokenizer form and every encode path. The tokenizer must
// never crash, and its outputs must stay self-consistent (lengths agree, ids in range, offsets inside the input).
// Tokenizers: the shipped WordPiece ones, and the committed Unigram fixture (Precompiled charsmap, Metaspace,
// byte fallback) with three rewrites of its pipeline that reach the other SentencePiece-family components; with
// FASTINTENT_E5_DIR set, also the converted multilingual-e5-small.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/text/tokenizer.h"

namespace {

using fastintent::text::EncodeOptions;
using fastintent::text::Encoding;
using fastintent::text::PaddingStrategy;
using fastintent::text::Tokenizer;
using nlohmann::json;

// The Unigram fixture with its normalizer, pre-tokenizer, post-processor and added tokens replaced.
Tokenizer Rewritten(const std::filesystem::path& fixture, const json& normalizer, const json& pre_tokenizer,
                    const json& post_processor, const std::string& name) {
  json data = json::parse(std::ifstream(fixture));
  data["normalizer"] = normalizer;
  data["pre_tokenizer"] = pre_tokenizer;
  data["post_processor"] = post_processor;
  const auto n = static_cast<std::int64_t>(data["model"]["vocab"].size());
  data["added_tokens"].push_back({{"id", n},
                                  {"content", "sim"},
                                  {"single_word", true},
                                  {"lstrip", false},
                                  {"rstrip", true},
                                  {"normalized", true},
                                  {"special", false}});
  data["added_tokens"].push_back({{"id", n + 1},
                                  {"content", "[BOT]"},
                                  {"single_word", false},
                                  {"lstrip", true},
                                  {"rstrip", true},
                                  {"normalized", false},
                                  {"special", true}});
  const auto file = std::filesystem::temp_directory_path() / ("fastintent-fuzz-" + name + ".json");
  std::ofstream(file) << data.dump();
  Tokenizer t = Tokenizer::Load(file);
  std::filesystem::remove(file);
  return t;
}

std::vector<Tokenizer>& Tokenizers() {
  static std::vector<Tokenizer> tokenizers = [] {
    const char* env = std::getenv("FASTINTENT_ASSETS_DIR");
    const std::string shared = env ? env : FASTINTENT_FUZZ_ASSETS_DIR;
    std::vector<Tokenizer> t;
    t.push_back(Tokenizer::Load(shared + "/tokenizers/rubert-tiny2"));
    t.push_back(Tokenizer::Load(shared + "/tokenizers/all-MiniLM-L6-v2"));
    t.push_back(Tokenizer::Load(shared + "/tokenizers/bert-base-uncased"));
    const std::filesystem::path fixture =
        std::string(FASTINTENT_FUZZ_FIXTURES_DIR) + "/tokenizers/unigram-small/tokenizer.json";
    t.push_back(Tokenizer::Load(fixture));
    const json replace = {{"type", "Replace"}, {"pattern", {{"String", "''"}}}, {"content", "\""}};
    t.push_back(Rewritten(
        fixture,
        {{"type", "Sequence"},
         {"normalizers",
          json::array({{{"type", "NFD"}}, {{"type", "StripAccents"}}, {{"type", "Lowercase"}}, replace})}},
        {{"type", "Sequence"},
         {"pretokenizers",
          json::array(
              {{{"type", "WhitespaceSplit"}},
               {{"type", "Metaspace"}, {"replacement", "\u2581"}, {"prepend_scheme", "first"}, {"split", false}}})}},
        {{"type", "RobertaProcessing"},
         {"sep", {"</s>", 2}},
         {"cls", {"<s>", 0}},
         {"trim_offsets", true},
         {"add_prefix_space", true}},
        "roberta"));
    t.push_back(Rewritten(
        fixture,
        {{"type", "Sequence"},
         {"normalizers", json::array({{{"type", "NFKC"}},
                                      {{"type", "Replace"}, {"pattern", {{"Regex", "[\\s\u2581]+"}}}, {"content", " "}},
                                      {{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}},
                                      {{"type", "Nmt"}}})}},
        {{"type", "Metaspace"}, {"replacement", "\u2581"}, {"prepend_scheme", "never"}, {"split", true}}, nullptr,
        "never"));
    t.push_back(Rewritten(fixture,
                          {{"type", "Sequence"}, {"normalizers", json::array({{{"type", "NFKD"}}, {{"type", "NFC"}}})}},
                          {{"type", "Metaspace"}, {"replacement", "\u2581"}, {"add_prefix_space", true}},
                          json::parse(std::ifstream(fixture))["post_processor"], "legacy"));
    if (const char* e5 = std::getenv("FASTINTENT_E5_DIR")) t.push_back(Tokenizer::Load(e5));
    return t;
  }();
  return tokenizers;
}

void Check(const Encoding& e, const Tokenizer& tokenizer, std::size_t input_size, bool offsets) {
  if (e.attention_mask.size() != e.ids.size() || e.type_ids.size() != e.ids.size()) std::abort();
  if (offsets && e.offsets.size() != e.ids.size()) std::abort();
  for (std::int64_t id : e.ids) {
    if (id < 0 || static_cast<std::size_t>(id) >= tokenizer.vocab_size()) std::abort();
  }
  for (const auto& [begin, end] : e.offsets) {
    if (begin > end || end > input_size) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the tokenizer and the encode path (one encode per input keeps executions cheap).
  const auto& tokenizers = Tokenizers();
  const std::size_t which = data[0] % tokenizers.size();
  const int mode = (data[0] / tokenizers.size()) % 4;
  const Tokenizer& tokenizer = tokenizers[which];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  EncodeOptions options;
  options.truncation = false;
  options.padding = PaddingStrategy::kNone;
  options.with_offsets = true;
  options.with_tokens = mode == 0;
  if (mode == 0) {
    const Encoding e = tokenizer.Encode(text, options);
    Check(e, tokenizer, text.size(), true);
    if (e.tokens.size() != e.ids.size()) std::abort();
  } else if (mode == 1) {
    Check(tokenizer.Encode(text, EncodeOptions{}), tokenizer, text.size(), false);  // the file's own settings
  } else if (mode == 2) {
    options.truncation = true;
    options.max_length = 2 + data[0] % 16;
    const Encoding t = tokenizer.Encode(text, options);
    Check(t, tokenizer, text.size(), true);
    // transformers (the vocab.txt form's reference) leaves a sequence whole when truncation would have to
    // cut all of it, so the length bound holds for the tokenizer.json forms only.
    if (which != 2 && t.ids.size() > *options.max_length) std::abort();
  } else {
    const std::size_t half = text.size() / 2;
    options.truncation = true;
    options.max_length = (which >= 3 ? 4 : 3) + data[0] % 16;  // the XLM-R pair template adds 4 tokens
    options.padding = PaddingStrategy::kMaxLength;
    options.pad_to_multiple_of = 8;
    const Encoding p = tokenizer.EncodePair(text.substr(0, half), text.substr(half), options);
    Check(p, tokenizer, text.size(), true);
    if (p.ids.size() % 8 != 0) std::abort();
  }
  return 0;
}
