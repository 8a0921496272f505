#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

class SafetensorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() /
        ("fastintent_safetensors_test_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A file with the given header text and data bytes, laid out as the format prescribes.
  std::filesystem::path WriteRaw(const std::string& header, const std::vector<unsigned char>& data,
                                 std::uint64_t declared_header_size = 0) {
    const auto file = dir_ / "raw.safetensors";
    std::ofstream out(file, std::ios::binary);
    const std::uint64_t size = declared_header_size != 0 ? declared_header_size : header.size();
    out.write(reinterpret_cast<const char*>(&size), 8);
    out << header;
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    return file;
  }

  std::string ErrorOf(const std::filesystem::path& file) {
    try {
      ReadSafetensors(file);
    } catch (const InvalidInput& error) {
      return error.what();
    }
    return "";
  }

  std::filesystem::path dir_;
};

std::vector<unsigned char> Bytes(const std::vector<std::uint16_t>& halves) {
  std::vector<unsigned char> bytes(halves.size() * 2);
  std::memcpy(bytes.data(), halves.data(), bytes.size());
  return bytes;
}

TEST_F(SafetensorsTest, WriteThenReadRoundTrips) {
  TensorMap tensors;
  tensors["b.weight"] = Tensor{{2, 3}, {1, 2, 3, 4, 5, -6.5f}};
  tensors["a.bias"] = Tensor{{3}, {0.25f, -1e-8f, 3e30f}};
  tensors["scalar"] = Tensor{{}, {7}};
  const auto file = dir_ / "model.safetensors";
  WriteSafetensors(tensors, file);
  const TensorMap back = ReadSafetensors(file);
  ASSERT_EQ(back.size(), 3u);
  for (const auto& [name, tensor] : tensors) {
    ASSERT_EQ(back.count(name), 1u) << name;
    EXPECT_EQ(back.at(name).shape, tensor.shape) << name;
    EXPECT_EQ(back.at(name).data, tensor.data) << name;
  }
}

TEST_F(SafetensorsTest, WrittenHeaderIsAlignedAndCarriesFormatMetadata) {
  TensorMap tensors;
  tensors["x"] = Tensor{{1}, {1}};
  const auto file = dir_ / "model.safetensors";
  WriteSafetensors(tensors, file);
  std::ifstream in(file, std::ios::binary);
  std::uint64_t header_size = 0;
  in.read(reinterpret_cast<char*>(&header_size), 8);
  EXPECT_EQ(header_size % 8, 0u);
  std::string header(header_size, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_size));
  EXPECT_NE(header.find(R"("__metadata__":{"format":"pt"})"), std::string::npos) << header;
  EXPECT_EQ(std::filesystem::file_size(file), 8 + header_size + 4);
}

TEST_F(SafetensorsTest, ConvertsHalfPrecisionTypes) {
  // F16: 1.0 = 0x3C00, -2.0 = 0xC000, smallest subnormal 2^-24 = 0x0001, 65504 = 0x7BFF.
  // BF16: 1.0 = 0x3F80, -0.5 = 0xBF00, 3.140625 = 0x4049.
  std::vector<unsigned char> data = Bytes({0x3C00, 0xC000, 0x0001, 0x7BFF});
  const auto bf16 = Bytes({0x3F80, 0xBF00, 0x4049});
  data.insert(data.end(), bf16.begin(), bf16.end());
  const TensorMap tensors = ReadSafetensors(WriteRaw(
      R"({"h": {"dtype": "F16", "shape": [4], "data_offsets": [0, 8]},
          "b": {"dtype": "BF16", "shape": [3], "data_offsets": [8, 14]}})",
      data));
  EXPECT_EQ(tensors.at("h").data, (std::vector<float>{1.0f, -2.0f, 5.9604644775390625e-08f, 65504.0f}));
  EXPECT_EQ(tensors.at("b").data, (std::vector<float>{1.0f, -0.5f, 3.140625f}));
}

TEST_F(SafetensorsTest, RejectsTruncatedFiles) {
  const auto tiny = dir_ / "tiny.safetensors";
  std::ofstream(tiny, std::ios::binary) << "abc";
  EXPECT_NE(ErrorOf(tiny).find("expected at least the 8-byte header length"), std::string::npos);

  const std::string header = R"({"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})";
  EXPECT_NE(ErrorOf(WriteRaw(header, std::vector<unsigned char>(12))).find("outside the data section"),
            std::string::npos);
  EXPECT_NE(ErrorOf(WriteRaw(header, {}, 1u << 20)).find("exceeds the file"), std::string::npos);
}

TEST_F(SafetensorsTest, RejectsMalformedHeaders) {
  const std::vector<unsigned char> data(16);
  EXPECT_NE(ErrorOf(WriteRaw("{not json", data)).find("malformed JSON header"), std::string::npos);
  EXPECT_NE(ErrorOf(WriteRaw("{\"__metadata__\": 1e999}", data)).find("malformed JSON header"), std::string::npos);
  EXPECT_NE(ErrorOf(WriteRaw(R"({"x": {"dtype": "C64", "shape": [2], "data_offsets": [0, 16]}})", data))
                .find("got dtype C64"),
            std::string::npos);
  EXPECT_NE(ErrorOf(WriteRaw(R"({"x": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}})", data))
                .find("got 16 bytes, expected 3 x 4"),
            std::string::npos);
  EXPECT_NE(ErrorOf(WriteRaw(R"({"x": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}})", data))
                .find("outside the data section"),
            std::string::npos);
  EXPECT_NE(ErrorOf(WriteRaw(R"({"x": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}})", data))
                .find("expected a non-negative integer"),
            std::string::npos);
  EXPECT_NE(ErrorOf(WriteRaw(R"({"x": {"dtype": "F32", "shape": [2]}})", data)).find("lacks"), std::string::npos);
  EXPECT_NE(ErrorOf(WriteRaw(R"({"x": {"dtype": "F32", "shape": [4294967296, 4294967296, 16],
      "data_offsets": [0, 16]}})",
                             data))
                .find("overflows"),
            std::string::npos);
}

TEST_F(SafetensorsTest, RejectsShapeDataMismatchOnWrite) {
  TensorMap tensors;
  tensors["x"] = Tensor{{2, 2}, {1, 2, 3}};
  EXPECT_THROW(WriteSafetensors(tensors, dir_ / "bad.safetensors"), InvalidInput);
}

TEST_F(SafetensorsTest, MissingFileIsAnIoError) { EXPECT_THROW(ReadSafetensors(dir_ / "absent.safetensors"), IoError); }

}  // namespace
}  // namespace fastintent::checkpoint
