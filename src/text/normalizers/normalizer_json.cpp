// Reads the "normalizer" of a tokenizer.json.
#include "fastintent/common/error.h"
#include "json_fields.h"
#include "normalizers/bert_normalizer.h"
#include "normalizers/character_normalizers.h"
#include "normalizers/pattern.h"
#include "normalizers/precompiled.h"
#include "normalizers/unicode_forms.h"
#include "pipeline_json.h"

namespace fastintent::text::detail {
namespace {

using nlohmann::json;

constexpr const char* kSupported =
    "one of BertNormalizer, Precompiled, Replace, Strip, StripAccents, NFC, NFD, NFKC, NFKD, Lowercase, Nmt, "
    "Sequence";

bool RequiredBool(const JsonFields& f, const char* key) {
  const auto value = f.OptionalBool(key);
  if (!value) f.Fail(key, "nothing", "true or false");
  return *value;
}

std::unique_ptr<const Normalizer> ParseBert(const JsonFields& f) {
  NormalizerConfig config;
  config.clean_text = f.BoolOr("clean_text", true);
  config.handle_chinese_chars = f.BoolOr("handle_chinese_chars", true);
  config.lowercase = f.BoolOr("lowercase", true);
  config.strip_accents = f.OptionalBool("strip_accents").value_or(config.lowercase);
  config.flavor = Flavor::kHfTokenizers;
  return std::make_unique<BertNormalizer>(config);
}

std::unique_ptr<const Normalizer> ParsePrecompiled(const JsonFields& f) {
  const std::string encoded = f.String("precompiled_charsmap");
  const std::optional<std::string> blob = DecodeBase64(encoded);
  if (!blob) {
    f.Fail("precompiled_charsmap", "a string of " + std::to_string(encoded.size()) + " characters that is not valid",
           "standard base64 with padding");
  }
  try {
    return std::make_unique<Precompiled>(CharsMap::Parse(*blob));
  } catch (const InvalidInput& e) {
    f.Fail("precompiled_charsmap", "a charsmap of " + std::to_string(blob->size()) + " bytes where " + e.what(),
           "sentencepiece's precompiled_charsmap (u32 trie size, double-array units, replacement strings)");
  }
}

std::unique_ptr<const Normalizer> ParseReplace(const JsonFields& f) {
  const json* pattern = f.Find("pattern");
  if (pattern == nullptr || !pattern->is_object() || pattern->size() != 1 ||
      !(pattern->contains("String") || pattern->contains("Regex")) || !pattern->begin()->is_string()) {
    f.Fail("pattern", pattern ? Describe(*pattern) : "nothing", "{\"String\": text} or {\"Regex\": pattern}");
  }
  const std::string content = f.String("content");
  const std::string text = pattern->begin()->get<std::string>();
  try {
    return std::make_unique<Replace>(pattern->contains("String") ? Pattern::Literal(text) : Pattern::Regex(text),
                                     content);
  } catch (const InvalidInput& e) {
    f.Fail(pattern->contains("String") ? "pattern.String" : "pattern.Regex", "'" + text + "': " + e.what(),
           "a supported pattern");
  }
}

void ParseInto(const json& node, const std::filesystem::path& file, const std::string& where, int depth,
               std::vector<std::unique_ptr<const Normalizer>>& out) {
  const JsonFields f(node, file, where);
  const std::string type = f.String("type");
  if (type == "Sequence") {
    if (depth >= kMaxSequenceDepth)
      f.Fail("type", "Sequence nested " + std::to_string(depth + 1) + " deep",
             "at most " + std::to_string(kMaxSequenceDepth));
    const json* list = f.Find("normalizers");
    if (list == nullptr || !list->is_array()) f.Fail("normalizers", list ? Describe(*list) : "nothing", "an array");
    for (std::size_t i = 0; i < list->size(); ++i) {
      ParseInto((*list)[i], file, f.Where("normalizers") + "[" + std::to_string(i) + "]", depth + 1, out);
    }
  } else if (type == "BertNormalizer") {
    out.push_back(ParseBert(f));
  } else if (type == "Precompiled") {
    out.push_back(ParsePrecompiled(f));
  } else if (type == "Replace") {
    out.push_back(ParseReplace(f));
  } else if (type == "Strip") {
    out.push_back(std::make_unique<StripNormalizer>(RequiredBool(f, "strip_left"), RequiredBool(f, "strip_right")));
  } else if (type == "StripAccents") {
    out.push_back(std::make_unique<StripAccentsNormalizer>());
  } else if (type == "Lowercase") {
    out.push_back(std::make_unique<LowercaseNormalizer>());
  } else if (type == "Nmt") {
    out.push_back(std::make_unique<NmtNormalizer>());
  } else if (type == "NFC" || type == "NFD" || type == "NFKC" || type == "NFKD") {
    const UnicodeForm form = type == "NFC"    ? UnicodeForm::kNfc
                             : type == "NFD"  ? UnicodeForm::kNfd
                             : type == "NFKC" ? UnicodeForm::kNfkc
                                              : UnicodeForm::kNfkd;
    out.push_back(std::make_unique<UnicodeNormalizer>(form));
  } else {
    f.Fail("type", "'" + type + "'", kSupported);
  }
}

}  // namespace

std::unique_ptr<const Normalizer> ParseNormalizer(const json* node, const std::filesystem::path& file) {
  if (node == nullptr) return nullptr;
  std::vector<std::unique_ptr<const Normalizer>> stages;
  ParseInto(*node, file, "normalizer", 0, stages);
  if (stages.empty()) return nullptr;
  if (stages.size() == 1) return std::move(stages[0]);
  return std::make_unique<NormalizerSequence>(std::move(stages));
}

}  // namespace fastintent::text::detail
