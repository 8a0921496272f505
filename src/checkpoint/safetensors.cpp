// model.safetensors: an 8-byte little-endian header length N, N bytes of JSON header
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}, then the
// raw tensor bytes (little-endian); offsets are relative to the end of the header.
// Reading converts F32/F16/BF16 (and F64/I64/I32 buffers) to float; every offset is bounds-checked.
// Writing stores F32 with the header padded by spaces to a multiple of 8 bytes, as the reference writer does,
// and __metadata__ {"format": "pt"}, which transformers requires to load the file.
#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes a little-endian host");

using nlohmann::json;

// Header sizes above this are treated as corruption rather than allocated (the reference caps at 100 MB).
constexpr std::uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

float HalfToFloat(std::uint16_t half) {
  const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
  std::uint32_t exponent = (half >> 10) & 0x1fu;
  std::uint32_t mantissa = half & 0x3ffu;
  std::uint32_t bits = 0;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {  // subnormal: normalize
      exponent = 127 - 15 + 1;
      while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        --exponent;
      }
      mantissa &= 0x3ffu;
      bits = sign | (exponent << 23) | (mantissa << 13);
    }
  } else if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(bits);
}

float Bfloat16ToFloat(std::uint16_t value) { return std::bit_cast<float>(static_cast<std::uint32_t>(value) << 16); }

std::size_t DtypeBytes(const std::string& dtype) {
  if (dtype == "F32" || dtype == "I32") return 4;
  if (dtype == "F16" || dtype == "BF16") return 2;
  if (dtype == "F64" || dtype == "I64") return 8;
  return 0;
}

template <typename T>
T LoadLe(const unsigned char* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof(T));
  return value;
}

void ConvertToFloat(const std::string& dtype, const unsigned char* bytes, std::size_t count, float* out) {
  for (std::size_t i = 0; i < count; ++i) {
    if (dtype == "F32")
      out[i] = LoadLe<float>(bytes + 4 * i);
    else if (dtype == "F16")
      out[i] = HalfToFloat(LoadLe<std::uint16_t>(bytes + 2 * i));
    else if (dtype == "BF16")
      out[i] = Bfloat16ToFloat(LoadLe<std::uint16_t>(bytes + 2 * i));
    else if (dtype == "F64")
      out[i] = static_cast<float>(LoadLe<double>(bytes + 8 * i));
    else if (dtype == "I64")
      out[i] = static_cast<float>(LoadLe<std::int64_t>(bytes + 8 * i));
    else
      out[i] = static_cast<float>(LoadLe<std::int32_t>(bytes + 4 * i));
  }
}

std::uint64_t RequireOffset(const json& value, const std::string& where) {
  if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<long long>() >= 0)) {
    throw InvalidInput(where + ": got " + value.dump() + ", expected a non-negative integer");
  }
  return value.get<std::uint64_t>();
}

Tensor ParseTensor(const std::string& name, const json& entry, const std::vector<unsigned char>& data,
                   const std::string& file) {
  const std::string where = file + ": tensor \"" + name + "\"";
  if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets")) {
    throw InvalidInput(where + ": header entry " + entry.dump() + " lacks dtype, shape or data_offsets");
  }
  if (!entry.at("dtype").is_string())
    throw InvalidInput(where + ": dtype " + entry.at("dtype").dump() + " is not a string");
  const std::string dtype = entry.at("dtype").get<std::string>();
  const std::size_t element_bytes = DtypeBytes(dtype);
  if (element_bytes == 0) {
    throw InvalidInput(where + ": got dtype " + dtype + ", expected F32, F16, BF16, F64, I64 or I32");
  }
  Tensor tensor;
  std::uint64_t numel = 1;
  if (!entry.at("shape").is_array())
    throw InvalidInput(where + ": shape " + entry.at("shape").dump() + " is not an array");
  for (const json& dim : entry.at("shape")) {
    const std::uint64_t size = RequireOffset(dim, where + " shape");
    if (size != 0 && numel > std::numeric_limits<std::uint64_t>::max() / size) {
      throw InvalidInput(where + ": shape " + entry.at("shape").dump() + " overflows");
    }
    numel *= size;
    tensor.shape.push_back(static_cast<std::int64_t>(size));
  }
  const json& offsets = entry.at("data_offsets");
  if (!offsets.is_array() || offsets.size() != 2) {
    throw InvalidInput(where + ": data_offsets " + offsets.dump() + ", expected [begin, end]");
  }
  const std::uint64_t begin = RequireOffset(offsets[0], where + " data_offsets");
  const std::uint64_t end = RequireOffset(offsets[1], where + " data_offsets");
  if (begin > end || end > data.size()) {
    throw InvalidInput(where + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                       "] outside the data section of " + std::to_string(data.size()) + " bytes (truncated file?)");
  }
  if (numel > std::numeric_limits<std::uint64_t>::max() / element_bytes || end - begin != numel * element_bytes) {
    throw InvalidInput(where + ": got " + std::to_string(end - begin) + " bytes, expected " + std::to_string(numel) +
                       " x " + std::to_string(element_bytes) + " for shape " + entry.at("shape").dump() + " " + dtype);
  }
  tensor.data.resize(static_cast<std::size_t>(numel));
  ConvertToFloat(dtype, data.data() + begin, tensor.data.size(), tensor.data.data());
  return tensor;
}

}  // namespace

TensorMap ReadSafetensors(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) throw IoError(name + ": cannot open safetensors file");
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  if (file_size < 8) {
    throw InvalidInput(name + ": got " + std::to_string(file_size) +
                       " bytes, expected at least the 8-byte header length");
  }
  unsigned char length_bytes[8];
  in.read(reinterpret_cast<char*>(length_bytes), 8);
  const auto header_size = LoadLe<std::uint64_t>(length_bytes);
  if (header_size > kMaxHeaderBytes || header_size > file_size - 8) {
    throw InvalidInput(name + ": header length " + std::to_string(header_size) + " exceeds the file (" +
                       std::to_string(file_size) + " bytes): truncated or not a safetensors file");
  }
  std::string header_text(static_cast<std::size_t>(header_size), '\0');
  in.read(header_text.data(), static_cast<std::streamsize>(header_size));
  json header;
  try {
    header = json::parse(header_text);
  } catch (const json::exception& error) {  // parse_error, and out_of_range for a number that overflows
    throw InvalidInput(name + ": malformed JSON header: " + error.what());
  }
  if (!header.is_object())
    throw InvalidInput(name + ": header is a JSON " + std::string(header.type_name()) + ", expected an object");

  std::vector<unsigned char> data(static_cast<std::size_t>(file_size - 8 - header_size));
  in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!in) throw IoError(name + ": read failed");

  TensorMap tensors;
  for (const auto& [tensor_name, entry] : header.items()) {
    if (tensor_name == "__metadata__") continue;
    tensors.emplace(tensor_name, ParseTensor(tensor_name, entry, data, name));
  }
  return tensors;
}

void WriteSafetensors(const TensorMap& tensors, const std::filesystem::path& file) {
  json header = json::object();
  header["__metadata__"] = json{{"format", "pt"}};
  std::uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    std::uint64_t numel = 1;
    for (std::int64_t dim : tensor.shape) {
      if (dim < 0) throw InvalidInput("tensor \"" + name + "\": negative dimension " + std::to_string(dim));
      numel *= static_cast<std::uint64_t>(dim);
    }
    if (numel != tensor.data.size()) {
      throw InvalidInput("tensor \"" + name + "\": shape holds " + std::to_string(numel) + " elements, got " +
                         std::to_string(tensor.data.size()) + " values");
    }
    const std::uint64_t bytes = numel * sizeof(float);
    header[name] = json{{"dtype", "F32"}, {"shape", tensor.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string header_text = header.dump();
  header_text.append((8 - header_text.size() % 8) % 8, ' ');

  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(file.string() + ": cannot open for writing");
  unsigned char length_bytes[8];
  const std::uint64_t header_size = header_text.size();
  std::memcpy(length_bytes, &header_size, 8);
  out.write(reinterpret_cast<const char*>(length_bytes), 8);
  out.write(header_text.data(), static_cast<std::streamsize>(header_text.size()));
  for (const auto& [name, tensor] : tensors) {
    out.write(reinterpret_cast<const char*>(tensor.data.data()),
              static_cast<std::streamsize>(tensor.data.size() * sizeof(float)));
  }
  out.flush();
  if (!out) throw IoError(file.string() + ": write failed");
}

}  // namespace fastintent::checkpoint
