#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "fastintent/common/error.h"
#include "fastintent/common/utf8.h"
#include "fastintent/data/dataset.h"
#include "table.h"

namespace fastintent::data {
namespace {

std::string Where(const std::filesystem::path& file, std::size_t line) {
  return file.string() + ":" + std::to_string(line);
}

std::string ReadWholeFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot open data file " + file.string());
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError("cannot read data file " + file.string());
  return content;
}

std::string FormatOf(const std::filesystem::path& file, const ReadOptions& options) {
  std::string format = options.format.value_or("");
  if (format.empty()) {
    std::string extension = file.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".csv") return "csv";
    if (extension == ".tsv" || extension == ".tab") return "tsv";
    if (extension == ".jsonl" || extension == ".ndjson") return "jsonl";
    throw InvalidInput(file.string() + ": cannot tell the format from the extension (got \"" + extension +
                       "\", expected .csv, .tsv or .jsonl; or pass the format explicitly)");
  }
  if (format != "csv" && format != "tsv" && format != "jsonl") {
    throw InvalidInput("data format: got \"" + format + "\", expected csv, tsv or jsonl");
  }
  return format;
}

// The label column may be named "label" when the default "category" is absent.
std::vector<std::string> LabelChoices(const ReadOptions& options) {
  if (options.label_column == "category") return {"category", "label"};
  return {options.label_column};
}

std::size_t ColumnIndex(const detail::Table& table, const std::vector<std::string>& choices,
                        const std::filesystem::path& file) {
  for (const auto& name : choices) {
    auto it = std::find(table.header.begin(), table.header.end(), name);
    if (it != table.header.end()) return static_cast<std::size_t>(it - table.header.begin());
  }
  std::string present;
  for (const auto& name : table.header) present += (present.empty() ? "\"" : ", \"") + name + "\"";
  throw InvalidInput(Where(file, 1) + ": unknown column \"" + choices.front() + "\" (columns present: " + present +
                     ")");
}

void CheckUtf8(const std::string& value, const char* what, const std::filesystem::path& file, std::size_t line) {
  if (auto bad = utf8::FirstInvalid(value)) {
    throw InvalidInput(Where(file, line) + ": " + what + " is not valid UTF-8 (bad byte at offset " +
                       std::to_string(*bad) + " of the field)");
  }
}

std::string ReadContent(const std::filesystem::path& file) {
  std::string content = ReadWholeFile(file);
  if (content.rfind("\xEF\xBB\xBF", 0) == 0) content.erase(0, 3);  // UTF-8 byte order mark
  if (content.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InvalidInput(file.string() + ": the file is empty (got 0 rows, expected a header and texts)");
  }
  return content;
}

// The rows of a data set and the indices of its text column and (when `with_label`) its label column; every
// row has all fields.
struct Columns {
  detail::Table table;
  std::size_t text = 0;
  std::size_t label = 1;
};

Columns ReadColumns(const std::filesystem::path& file, const ReadOptions& options, bool with_label) {
  const std::string format = FormatOf(file, options);
  const std::string content = ReadContent(file);
  Columns columns;
  detail::Table& table = columns.table;
  if (format == "jsonl") {
    std::vector<std::vector<std::string>> keys = {{options.text_column}};
    if (with_label) keys.push_back(LabelChoices(options));
    table = detail::ParseJsonLines(content, keys, file);
  } else {
    table = detail::ParseDelimited(content, format == "csv" ? ',' : '\t', format == "csv", file);
    for (std::size_t i = 0; i < table.header.size(); ++i) CheckUtf8(table.header[i], "the header", file, 1);
    columns.text = ColumnIndex(table, {options.text_column}, file);
    if (with_label) columns.label = ColumnIndex(table, LabelChoices(options), file);
  }
  if (table.rows.empty()) {
    throw InvalidInput(file.string() + ": no examples (got only a header, expected texts after it)");
  }
  for (const auto& row : table.rows) {
    if (row.fields.size() != table.header.size()) {
      throw InvalidInput(Where(file, row.line) + ": got " + std::to_string(row.fields.size()) + " fields, expected " +
                         std::to_string(table.header.size()) + " (missing or extra field)");
    }
  }
  return columns;
}

}  // namespace

std::vector<std::string> ReadTexts(const std::filesystem::path& file, const ReadOptions& options) {
  std::vector<std::string> texts;
  if (!options.format && file.extension() == ".txt") {
    std::istringstream lines(ReadContent(file));
    std::size_t number = 0;
    for (std::string line; std::getline(lines, line);) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      CheckUtf8(line, "the text", file, number);
      texts.push_back(std::move(line));
    }
    return texts;
  }
  Columns columns = ReadColumns(file, options, /*with_label=*/false);
  for (auto& row : columns.table.rows) {
    CheckUtf8(row.fields[columns.text], "the text", file, row.line);
    texts.push_back(std::move(row.fields[columns.text]));
  }
  return texts;
}

std::vector<Example> ReadExamples(const std::filesystem::path& file, const ReadOptions& options) {
  Columns columns = ReadColumns(file, options, /*with_label=*/true);
  detail::Table& table = columns.table;
  const std::size_t text_index = columns.text, label_index = columns.label;
  std::vector<Example> examples;
  examples.reserve(table.rows.size());
  for (auto& row : table.rows) {
    Example example{std::move(row.fields[text_index]), std::move(row.fields[label_index])};
    CheckUtf8(example.text, "the text", file, row.line);
    CheckUtf8(example.label, "the label", file, row.line);
    if (example.label.empty()) {
      throw InvalidInput(Where(file, row.line) + ": empty label in column \"" + table.header[label_index] + "\"");
    }
    examples.push_back(std::move(example));
  }
  return examples;
}

}  // namespace fastintent::data
