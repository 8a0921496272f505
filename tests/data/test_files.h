#pragma once
// Writes small data files into a per-test temporary directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fastintent::data::testing {

inline std::filesystem::path WriteTempFile(const std::string& name, const std::string& content) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = std::filesystem::temp_directory_path() /
             ("fastintent_data_test_" + std::string(info->test_suite_name()) + "_" + info->name());
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace fastintent::data::testing
