#pragma once
// fastintent_data: labelled text data sets (CSV, TSV, JSONL) and classification metrics. Torch-free:
// used by train, eval, the n-gram baseline and quantize's accuracy gate.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fastintent::data {

struct Example {
  std::string text;
  std::string label;
};

struct ReadOptions {
  std::string text_column = "text";       // CSV/TSV header name or JSONL key
  std::string label_column = "category";  // Banking77's `text,category` works as is; "label" also tried
  std::optional<std::string> format;      // "csv" | "tsv" | "jsonl"; default from the file extension
};

// Throws fastintent::InvalidInput naming the file, line and problem: empty file, unknown column,
// text that is not valid UTF-8, a row with a missing field.
std::vector<Example> ReadExamples(const std::filesystem::path& file, const ReadOptions& options = {});

// The texts alone: a .txt file gives its non-empty lines (one text a line); a data set (.csv/.tsv/.jsonl) gives
// its text column and needs no label column. For unlabelled texts (distillation) and corpora (vocabulary
// pruning). Throws InvalidInput as ReadExamples does.
std::vector<std::string> ReadTexts(const std::filesystem::path& file, const ReadOptions& options = {});

// Writes `text,category` CSV (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled),
// readable by ReadExamples with the default options. Throws IoError when the file cannot be written.
void WriteCsv(const std::vector<Example>& examples, const std::filesystem::path& file);

// Sorted unique labels: the class id of a label is its index.
std::vector<std::string> LabelSet(const std::vector<Example>& examples);

struct Split {
  std::vector<Example> train;
  std::vector<Example> valid;
};
// Stratified: each label keeps ~`valid_fraction` of its examples in valid (at least one when it has >= 2).
// Deterministic for a seed. Throws InvalidInput for a label with a single example (cannot stratify). With a
// multi-label separator, examples are stratified by the first label of their field.
Split StratifiedSplit(const std::vector<Example>& examples, double valid_fraction, std::uint64_t seed,
                      std::optional<char> multi_label_separator = std::nullopt);

}  // namespace fastintent::data
