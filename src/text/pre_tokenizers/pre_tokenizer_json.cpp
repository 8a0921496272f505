// Reads the "pre_tokenizer" of a tokenizer.json.
#include "fastintent/common/error.h"
#include "json_fields.h"
#include "pipeline_json.h"
#include "pre_tokenizers/bert_pre_tokenizer.h"
#include "pre_tokenizers/metaspace.h"

namespace fastintent::text::detail {
namespace {

using nlohmann::json;

// Both JSON forms: the old {"replacement", "add_prefix_space"} and the new {"replacement", "prepend_scheme",
// "split"}; as Hugging Face reads them, add_prefix_space false requires prepend_scheme "never".
std::unique_ptr<const PreTokenizer> ParseMetaspace(const JsonFields& f) {
  const std::string replacement = f.String("replacement");
  const std::u32string cps = utf8::DecodeLossy(replacement);
  if (cps.size() != 1) f.Fail("replacement", "'" + replacement + "'", "exactly one character");
  const std::string scheme = f.StringOr("prepend_scheme", "always");
  Metaspace::Prepend prepend = Metaspace::Prepend::kAlways;
  if (scheme == "first") {
    prepend = Metaspace::Prepend::kFirst;
  } else if (scheme == "never") {
    prepend = Metaspace::Prepend::kNever;
  } else if (scheme != "always") {
    f.Fail("prepend_scheme", "'" + scheme + "'", "'first', 'always' or 'never'");
  }
  if (f.OptionalBool("add_prefix_space") == false && prepend != Metaspace::Prepend::kNever) {
    f.Fail("add_prefix_space", "false with prepend_scheme '" + scheme + "'",
           "prepend_scheme 'never' (Hugging Face refuses this combination too)");
  }
  return std::make_unique<Metaspace>(cps[0], prepend, f.BoolOr("split", true));
}

void ParseInto(const json& node, const std::filesystem::path& file, const std::string& where, int depth,
               std::vector<std::unique_ptr<const PreTokenizer>>& out) {
  const JsonFields f(node, file, where);
  const std::string type = f.String("type");
  if (type == "Sequence") {
    if (depth >= kMaxSequenceDepth) {
      f.Fail("type", "Sequence nested " + std::to_string(depth + 1) + " deep",
             "at most " + std::to_string(kMaxSequenceDepth));
    }
    const json* list = f.Find("pretokenizers");
    if (list == nullptr || !list->is_array()) f.Fail("pretokenizers", list ? Describe(*list) : "nothing", "an array");
    for (std::size_t i = 0; i < list->size(); ++i) {
      ParseInto((*list)[i], file, f.Where("pretokenizers") + "[" + std::to_string(i) + "]", depth + 1, out);
    }
  } else if (type == "BertPreTokenizer") {
    out.push_back(std::make_unique<BertPreTokenizer>(Flavor::kHfTokenizers));
  } else if (type == "Metaspace") {
    out.push_back(ParseMetaspace(f));
  } else if (type == "WhitespaceSplit") {
    out.push_back(std::make_unique<WhitespaceSplit>());
  } else {
    f.Fail("type", "'" + type + "'", "one of BertPreTokenizer, Metaspace, WhitespaceSplit, Sequence");
  }
}

}  // namespace

std::unique_ptr<const PreTokenizer> ParsePreTokenizer(const json* node, const std::filesystem::path& file) {
  if (node == nullptr) return nullptr;
  std::vector<std::unique_ptr<const PreTokenizer>> stages;
  ParseInto(*node, file, "pre_tokenizer", 0, stages);
  if (stages.empty()) return nullptr;
  if (stages.size() == 1) return std::move(stages[0]);
  return std::make_unique<PreTokenizerSequence>(std::move(stages));
}

}  // namespace fastintent::text::detail
