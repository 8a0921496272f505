#include <string>

#include "fastintent/common/error.h"
#include "table.h"

namespace fastintent::data::detail {
namespace {

std::string Where(const std::filesystem::path& file, std::size_t line) {
  return file.string() + ":" + std::to_string(line);
}

bool IsBlank(const TableRow& row) { return row.fields.size() == 1 && row.fields[0].empty(); }

}  // namespace

Table ParseDelimited(std::string_view content, char delimiter, bool quoting, const std::filesystem::path& file) {
  std::vector<TableRow> records;
  TableRow current;
  std::string field;
  std::size_t line = 1;
  current.line = 1;
  std::size_t i = 0;
  const std::size_t n = content.size();
  bool field_was_quoted = false;

  auto end_field = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    field_was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    if (!IsBlank(current)) records.push_back(std::move(current));
    current = TableRow{};
    current.line = line;
  };

  while (i < n) {
    const char c = content[i];
    if (quoting && c == '"' && field.empty() && !field_was_quoted) {
      const std::size_t opened_at = line;
      ++i;
      while (true) {
        if (i >= n) {
          throw InvalidInput(Where(file, opened_at) +
                             ": unterminated quoted field (got end of file, expected a closing '\"')");
        }
        if (content[i] == '"') {
          if (i + 1 < n && content[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (content[i] == '\n') ++line;
        field.push_back(content[i]);
        ++i;
      }
      field_was_quoted = true;
      if (i < n && content[i] != delimiter && content[i] != '\n' && content[i] != '\r') {
        throw InvalidInput(Where(file, line) + ": got '" + std::string(1, content[i]) +
                           "' after a closing quote, expected a delimiter or the end of the line");
      }
      continue;
    }
    if (c == delimiter) {
      end_field();
      ++i;
    } else if (c == '\r' && i + 1 < n && content[i + 1] == '\n') {
      ++line;
      i += 2;
      end_record();
    } else if (c == '\n') {
      ++line;
      ++i;
      end_record();
    } else {
      if (field_was_quoted) {
        throw InvalidInput(Where(file, line) + ": text after a closing quote");
      }
      field.push_back(c);
      ++i;
    }
  }
  if (!field.empty() || field_was_quoted || !current.fields.empty()) end_record();

  Table table;
  if (records.empty()) {
    throw InvalidInput(file.string() + ": the file is empty (got no header row, expected a header naming the columns)");
  }
  table.header = std::move(records.front().fields);
  records.erase(records.begin());
  table.rows = std::move(records);
  return table;
}

}  // namespace fastintent::data::detail
