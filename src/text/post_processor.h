#pragma once
// The post-processor template: where [CLS]/[SEP] go around one sequence or a pair, and the type id of each
// part (Hugging Face TemplateProcessing; BertProcessing is the same with fixed parts).
#include <cstdint>
#include <string>
#include <vector>

namespace fastintent::text::detail {

struct TemplatePart {
  enum class Kind { kSpecial, kSequenceA, kSequenceB };
  Kind kind = Kind::kSpecial;
  std::vector<std::int32_t> ids;    // kSpecial: the ids it expands to
  std::vector<std::string> tokens;  // kSpecial: their tokens
  std::int32_t type_id = 0;
};

struct PostProcessor {
  std::vector<TemplatePart> single;
  std::vector<TemplatePart> pair;
  // Number of special ids the template adds (what truncation must leave room for).
  std::size_t AddedCount(bool is_pair) const;
};

}  // namespace fastintent::text::detail
