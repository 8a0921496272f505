#pragma once
// Writing an output directory so that an existing one is never left half-written: the caller fills a
// fresh temporary sibling directory, then Commit() renames it into place (the old directory, if any, is
// moved aside and removed only after the rename succeeded). Without Commit(), the destructor removes the
// temporary directory and the target is untouched.
#include <filesystem>

namespace fastintent {

class AtomicDirectory {
 public:
  // Throws IoError when the parent of `target` cannot be created or written.
  explicit AtomicDirectory(std::filesystem::path target);
  AtomicDirectory(const AtomicDirectory&) = delete;
  AtomicDirectory& operator=(const AtomicDirectory&) = delete;
  ~AtomicDirectory();

  // Where to write the files.
  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& target() const { return target_; }

  // Replaces `target` with the staged directory. Throws IoError on failure (target then unchanged).
  void Commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

}  // namespace fastintent
