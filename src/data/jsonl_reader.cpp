#include <nlohmann/json.hpp>
#include <string>

#include "fastintent/common/error.h"
#include "table.h"

namespace fastintent::data::detail {
namespace {

std::string Where(const std::filesystem::path& file, std::size_t line) {
  return file.string() + ":" + std::to_string(line);
}

std::string KeysOf(const nlohmann::json& object) {
  std::string keys;
  for (const auto& item : object.items()) {
    if (!keys.empty()) keys += ", ";
    keys += item.key();
  }
  return keys.empty() ? "(none)" : keys;
}

}  // namespace

Table ParseJsonLines(std::string_view content, const std::vector<std::vector<std::string>>& key_choices,
                     const std::filesystem::path& file) {
  Table table;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start <= content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(start, end - start);
    ++line_number;
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      if (end == content.size()) break;
      continue;
    }
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& error) {  // parse_error, and out_of_range for number overflow
      throw InvalidInput(Where(file, line_number) + ": malformed JSON (" + error.what() + ")");
    }
    if (!object.is_object()) {
      throw InvalidInput(Where(file, line_number) + ": got a JSON " + object.type_name() + ", expected an object");
    }
    if (table.header.empty()) {
      for (const auto& choices : key_choices) {
        std::string chosen = choices.front();
        for (const auto& candidate : choices) {
          if (object.contains(candidate)) {
            chosen = candidate;
            break;
          }
        }
        table.header.push_back(chosen);
      }
    }
    TableRow row;
    row.line = line_number;
    for (const auto& key : table.header) {
      auto it = object.find(key);
      if (it == object.end()) {
        throw InvalidInput(Where(file, line_number) + ": unknown key \"" + key + "\" (keys present: " + KeysOf(object) +
                           ")");
      }
      if (it->is_string()) {
        row.fields.push_back(it->get<std::string>());
      } else if (it->is_number_unsigned()) {
        row.fields.push_back(std::to_string(it->get<unsigned long long>()));
      } else if (it->is_number_integer()) {
        row.fields.push_back(std::to_string(it->get<long long>()));
      } else {
        throw InvalidInput(Where(file, line_number) + ": key \"" + key + "\" is a " + it->type_name() +
                           ", expected a string or an integer");
      }
    }
    table.rows.push_back(std::move(row));
    if (end == content.size()) break;
  }
  if (table.rows.empty()) {
    throw InvalidInput(file.string() + ": the file is empty (got no JSON lines, expected one object per line)");
  }
  return table;
}

}  // namespace fastintent::data::detail
