// CSV rows of sweep cells, and reading them back (rows from the Python peers join our report that way).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "fastintent/bench/report.h"
#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

std::string Fixed(double v) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.6f", v);
  return buffer;
}

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

}  // namespace

void WriteCsv(const std::vector<CellResult>& cells, const std::filesystem::path& file) {
  std::ofstream out(file);
  if (!out) throw IoError("cannot write " + file.string());
  out << kCsvHeader << '\n';
  for (const auto& c : cells) {
    // Model and runtime names are ours (no commas); checked so a row can never shift columns.
    if (c.model.find(',') != std::string::npos || c.runtime.find(',') != std::string::npos) {
      throw InvalidInput("csv: a model or runtime name contains a comma: '" + c.model + "' / '" + c.runtime + "'");
    }
    out << c.figure << ',' << c.model << ',' << c.runtime << ',' << PaddingName(c.padding) << ',' << c.batch << ','
        << c.max_length << ',' << c.sequence_length << ',' << c.total_ms.count << ',' << Fixed(c.total_ms.mean) << ','
        << Fixed(c.total_ms.stddev) << ',' << Fixed(c.total_ms.p50) << ',' << Fixed(c.total_ms.p99) << ','
        << Fixed(c.tokenize_ms.mean) << ',' << Fixed(c.tokenize_ms.p50) << ',' << Fixed(c.gflop) << '\n';
  }
  if (!out) throw IoError("write failed: " + file.string());
}

std::vector<CellResult> ReadCsv(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw IoError("cannot open " + file.string());
  std::string line;
  if (!std::getline(in, line) || line != kCsvHeader) {
    throw InvalidInput(file.string() + ": line 1: got header '" + line + "', expected '" + kCsvHeader + "'");
  }
  const std::size_t columns = SplitComma(kCsvHeader).size();
  std::vector<CellResult> cells;
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto f = SplitComma(line);
    const std::string where = file.string() + ": line " + std::to_string(number);
    if (f.size() != columns) {
      throw InvalidInput(where + ": got " + std::to_string(f.size()) + " columns, expected " + std::to_string(columns));
    }
    auto number_at = [&](std::size_t i) {
      try {
        std::size_t used = 0;
        const double v = std::stod(f[i], &used);
        if (used != f[i].size()) throw std::invalid_argument("trailing characters");
        return v;
      } catch (const std::exception&) {
        throw InvalidInput(where + ": column " + std::to_string(i + 1) + ": got '" + f[i] + "', expected a number");
      }
    };
    CellResult c;
    c.figure = static_cast<int>(number_at(0));
    c.model = f[1];
    c.runtime = f[2];
    c.padding = ParsePadding(f[3]);
    c.batch = static_cast<std::size_t>(number_at(4));
    c.max_length = static_cast<std::size_t>(number_at(5));
    c.sequence_length = static_cast<std::size_t>(number_at(6));
    c.total_ms.count = static_cast<std::size_t>(number_at(7));
    c.total_ms.mean = number_at(8);
    c.total_ms.stddev = number_at(9);
    c.total_ms.p50 = number_at(10);
    c.total_ms.p99 = number_at(11);
    c.tokenize_ms.count = c.total_ms.count;
    c.tokenize_ms.mean = number_at(12);
    c.tokenize_ms.p50 = number_at(13);
    c.gflop = number_at(14);
    cells.push_back(std::move(c));
  }
  return cells;
}

}  // namespace fastintent::bench
