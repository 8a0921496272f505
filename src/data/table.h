#pragma once
// A parsed text table: header names plus rows, each row remembering the line it started on
// (internal to fastintent_data; the readers below fill it, read_examples.cpp picks the columns).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fastintent::data::detail {

struct TableRow {
  std::size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

struct Table {
  std::vector<std::string> header;
  std::vector<TableRow> rows;
};

// RFC 4180: `delimiter`-separated fields, optional double quotes around a field ("" inside is a quote,
// newlines allowed inside quotes), CRLF or LF line ends. Blank lines are skipped.
// Throws InvalidInput naming `file` and the line: no header, an unterminated quote, text after a
// closing quote.
Table ParseDelimited(std::string_view content, char delimiter, bool quoting, const std::filesystem::path& file);

// One JSON object per line; blank lines skipped. Column k of the result is the first key of
// `key_choices[k]` present in the first object (that choice then holds for every line; `header` records
// it); values are strings, or integers written in decimal. Throws InvalidInput naming the file and line
// for malformed JSON, a non-object line, a missing key (listing the keys present) or a non-scalar value.
Table ParseJsonLines(std::string_view content, const std::vector<std::vector<std::string>>& key_choices,
                     const std::filesystem::path& file);

}  // namespace fastintent::data::detail
