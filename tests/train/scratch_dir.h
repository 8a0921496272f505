// Scratch directories of the training tests: every output of one test process goes under one temporary root,
// removed when the process ends (ctest runs each test in a process of its own, so roots never collide).
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace fastintent::train::testing {

inline const std::filesystem::path& ScratchRoot() {
  struct Root {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("fastintent_train_test_" + std::to_string(::getpid()));
    ~Root() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Root root;
  return root.path;
}

// A path under the root that does not exist yet (its parent does): a file or directory for the test to create.
inline std::filesystem::path ScratchPath(const std::string& name) {
  const std::filesystem::path path = ScratchRoot() / name;
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path.parent_path());
  return path;
}

}  // namespace fastintent::train::testing
