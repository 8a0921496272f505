#include <fstream>
#include <string>
#include <string_view>

#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"

namespace fastintent::data {
namespace {

void WriteField(std::ofstream& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out << field;
    return;
  }
  out << '"';
  for (char c : field) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

}  // namespace

void WriteCsv(const std::vector<Example>& examples, const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::binary);
  if (!out) throw IoError("cannot write " + file.string());
  out << "text,category\n";
  for (const auto& example : examples) {
    WriteField(out, example.text);
    out << ',';
    WriteField(out, example.label);
    out << '\n';
  }
  out.flush();
  if (!out) throw IoError("cannot write " + file.string());
}

}  // namespace fastintent::data
