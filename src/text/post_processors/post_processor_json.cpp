// Reads the "post_processor" of a tokenizer.json: TemplateProcessing, BertProcessing, RobertaProcessing.
#include "fastintent/common/error.h"
#include "json_fields.h"
#include "pipeline_json.h"

namespace fastintent::text::detail {
namespace {

using nlohmann::json;
using Kind = TemplatePart::Kind;

constexpr std::int64_t kMaxSpecialId = 50'000'000;

// {"id": "[CLS]", "type_id": 0} inside a SpecialToken / Sequence template piece.
TemplatePart ParseTemplatePiece(const json& piece, const json* special_tokens, const std::filesystem::path& file,
                                const std::string& where) {
  const JsonFields outer(piece, file, where);
  TemplatePart part;
  if (const json* seq = outer.Find("Sequence")) {
    const JsonFields f(*seq, file, where + ".Sequence");
    const std::string id = f.String("id");
    if (id != "A" && id != "B") f.Fail("id", "'" + id + "'", "'A' or 'B'");
    part.kind = id == "A" ? Kind::kSequenceA : Kind::kSequenceB;
    part.type_id = static_cast<std::int32_t>(f.IntOr("type_id", 0));
    return part;
  }
  const json* special = outer.Find("SpecialToken");
  if (special == nullptr) outer.Fail("", Describe(piece), "{\"Sequence\": ...} or {\"SpecialToken\": ...}");
  const JsonFields f(*special, file, where + ".SpecialToken");
  const std::string name = f.String("id");
  part.kind = Kind::kSpecial;
  part.type_id = static_cast<std::int32_t>(f.IntOr("type_id", 0));
  if (special_tokens == nullptr || !special_tokens->is_object() || !special_tokens->contains(name)) {
    f.Fail("id", "'" + name + "'", "a name listed in post_processor.special_tokens");
  }
  const JsonFields token(special_tokens->at(name), file, "post_processor.special_tokens." + name);
  const json* ids = token.Find("ids");
  const json* strings = token.Find("tokens");
  if (ids == nullptr || !ids->is_array()) token.Fail("ids", ids ? Describe(*ids) : "nothing", "an array of ids");
  for (const json& id : *ids) {
    if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > kMaxSpecialId) {
      token.Fail("ids", Describe(id), "non-negative integer ids");
    }
    part.ids.push_back(static_cast<std::int32_t>(id.get<std::int64_t>()));
  }
  if (strings != nullptr && strings->is_array() && strings->size() == ids->size()) {
    for (const json& s : *strings) part.tokens.push_back(s.is_string() ? s.get<std::string>() : "");
  } else {
    part.tokens.assign(part.ids.size(), name);
  }
  return part;
}

// BertProcessing and RobertaProcessing name their tokens as [token, id].
TemplatePart FixedSpecial(const JsonFields& f, const char* key) {
  const json* v = f.Find(key);
  if (v == nullptr || !v->is_array() || v->size() != 2 || !(*v)[0].is_string() || !(*v)[1].is_number_integer() ||
      (*v)[1].get<std::int64_t>() < 0 || (*v)[1].get<std::int64_t>() > kMaxSpecialId) {
    f.Fail(key, v ? Describe(*v) : "nothing", "[token, id]");
  }
  return TemplatePart{
      Kind::kSpecial, {static_cast<std::int32_t>((*v)[1].get<std::int64_t>())}, {(*v)[0].get<std::string>()}, 0};
}

}  // namespace

PostProcessor ParsePostProcessor(const json* node, const std::filesystem::path& file) {
  PostProcessor post;
  const TemplatePart a{Kind::kSequenceA, {}, {}, 0};
  const TemplatePart b0{Kind::kSequenceB, {}, {}, 0};
  const TemplatePart b1{Kind::kSequenceB, {}, {}, 1};
  if (node == nullptr) {
    post.single = {a};
    post.pair = {a, b1};
    return post;
  }
  const JsonFields f(*node, file, "post_processor");
  const std::string type = f.String("type");
  // Hugging Face reads these two untagged, by their fields: with trim_offsets and add_prefix_space it is a
  // RobertaProcessing whatever "type" says, without them a BertProcessing.
  const bool roberta_fields = f.Find("trim_offsets") != nullptr && f.Find("add_prefix_space") != nullptr;
  if ((type == "BertProcessing" || type == "RobertaProcessing") && !roberta_fields) {
    const TemplatePart cls = FixedSpecial(f, "cls");
    const TemplatePart sep = FixedSpecial(f, "sep");
    TemplatePart sep1 = sep;
    sep1.type_id = 1;
    post.single = {cls, a, sep};
    post.pair = {cls, a, sep, b1, sep1};
    return post;
  }
  if (type == "RobertaProcessing" || type == "BertProcessing") {
    // <s> A </s> and <s> A </s></s> B </s>, every type id 0.
    const TemplatePart cls = FixedSpecial(f, "cls");
    const TemplatePart sep = FixedSpecial(f, "sep");
    post.single = {cls, a, sep};
    post.pair = {cls, a, sep, sep, b0, sep};
    post.trim_offsets = f.BoolOr("trim_offsets", true);
    post.add_prefix_space = f.BoolOr("add_prefix_space", true);
    return post;
  }
  if (type != "TemplateProcessing") {
    f.Fail("type", "'" + type + "'", "'TemplateProcessing', 'BertProcessing' or 'RobertaProcessing'");
  }
  const json* special_tokens = f.Find("special_tokens");
  for (const char* key : {"single", "pair"}) {
    const json* pieces = f.Find(key);
    if (pieces == nullptr || !pieces->is_array()) f.Fail(key, pieces ? Describe(*pieces) : "nothing", "an array");
    auto& out = std::string(key) == "single" ? post.single : post.pair;
    for (std::size_t i = 0; i < pieces->size(); ++i) {
      out.push_back(ParseTemplatePiece((*pieces)[i], special_tokens, file,
                                       "post_processor." + std::string(key) + "[" + std::to_string(i) + "]"));
    }
  }
  return post;
}

}  // namespace fastintent::text::detail
