#include "fastintent/export/model_files.h"

#include <fstream>
#include <sstream>

#include "fastintent/common/error.h"

namespace fastintent::exporter {

std::string ReadBinaryFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(file.string() + ": cannot open for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in && !in.eof()) throw IoError(file.string() + ": read failed");
  return buffer.str();
}

void WriteBinaryFile(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(file.string() + ": cannot open for writing");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  if (!out) throw IoError(file.string() + ": write failed (disk full?)");
}

}  // namespace fastintent::exporter
