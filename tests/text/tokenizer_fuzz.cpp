// libFuzzer target: arbitrary bytes through every tokenizer form and every encode path. The tokenizer must
// never crash, and its outputs must stay self-consistent (lengths agree, ids in range, offsets inside the input).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/text/tokenizer.h"

namespace {

using fastintent::text::EncodeOptions;
using fastintent::text::Encoding;
using fastintent::text::PaddingStrategy;
using fastintent::text::Tokenizer;

std::vector<Tokenizer>& Tokenizers() {
  static std::vector<Tokenizer> tokenizers = [] {
    const char* env = std::getenv("FASTINTENT_ASSETS_DIR");
    const std::string shared = env ? env : FASTINTENT_FUZZ_ASSETS_DIR;
    std::vector<Tokenizer> t;
    t.push_back(Tokenizer::Load(shared + "/tokenizers/rubert-tiny2"));
    t.push_back(Tokenizer::Load(shared + "/tokenizers/all-MiniLM-L6-v2"));
    t.push_back(Tokenizer::Load(shared + "/tokenizers/bert-base-uncased"));
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
    options.max_length = 3 + data[0] % 16;
    options.padding = PaddingStrategy::kMaxLength;
    options.pad_to_multiple_of = 8;
    const Encoding p = tokenizer.EncodePair(text.substr(0, half), text.substr(half), options);
    Check(p, tokenizer, text.size(), true);
    if (p.ids.size() % 8 != 0) std::abort();
  }
  return 0;
}
