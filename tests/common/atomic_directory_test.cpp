#include "fastintent/common/atomic_directory.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "fastintent/common/error.h"

namespace fs = std::filesystem;

namespace {

fs::path FreshTempDir() {
  auto dir =
      fs::temp_directory_path() / ("fi-atomic-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                   "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void WriteFile(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(AtomicDirectory, CommitCreatesTarget) {
  const auto root = FreshTempDir();
  {
    fastintent::AtomicDirectory out(root / "model");
    WriteFile(out.staging() / "a.txt", "new");
    EXPECT_FALSE(fs::exists(root / "model"));
    out.Commit();
  }
  EXPECT_EQ(ReadFile(root / "model" / "a.txt"), "new");
  EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);
}

TEST(AtomicDirectory, WithoutCommitTheOldDirectoryIsUntouched) {
  const auto root = FreshTempDir();
  fs::create_directories(root / "model");
  WriteFile(root / "model" / "a.txt", "old");
  {
    fastintent::AtomicDirectory out(root / "model");
    WriteFile(out.staging() / "a.txt", "half-written");
  }
  EXPECT_EQ(ReadFile(root / "model" / "a.txt"), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);
}

TEST(AtomicDirectory, CommitReplacesExistingDirectoryWhole) {
  const auto root = FreshTempDir();
  fs::create_directories(root / "model");
  WriteFile(root / "model" / "stale.txt", "old");
  {
    fastintent::AtomicDirectory out(root / "model");
    WriteFile(out.staging() / "a.txt", "new");
    out.Commit();
  }
  EXPECT_FALSE(fs::exists(root / "model" / "stale.txt"));
  EXPECT_EQ(ReadFile(root / "model" / "a.txt"), "new");
}

TEST(AtomicDirectory, UnwritableParentIsAClearError) {
  EXPECT_THROW(fastintent::AtomicDirectory("/proc/fastintent-cannot-write-here/model"), fastintent::IoError);
}
