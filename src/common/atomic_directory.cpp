#include "fastintent/common/atomic_directory.h"

#include <unistd.h>

#include <atomic>
#include <string>
#include <system_error>

#include "fastintent/common/error.h"

namespace fastintent {
namespace fs = std::filesystem;

namespace {

fs::path UniqueSibling(const fs::path& target, const char* tag) {
  static std::atomic<unsigned> counter{0};
  return target.parent_path() / ("." + target.filename().string() + "." + tag + "." + std::to_string(::getpid()) + "." +
                                 std::to_string(counter++));
}

}  // namespace

AtomicDirectory::AtomicDirectory(fs::path target) : target_(fs::absolute(std::move(target)).lexically_normal()) {
  if (target_.filename().empty()) target_ = target_.parent_path();
  std::error_code ec;
  fs::create_directories(target_.parent_path(), ec);
  if (ec) {
    throw IoError("cannot create directory " + target_.parent_path().string() + ": " + ec.message());
  }
  staging_ = UniqueSibling(target_, "tmp");
  if (!fs::create_directory(staging_, ec) || ec) {
    throw IoError("cannot write into " + target_.parent_path().string() + ": " +
                  (ec ? ec.message() : std::string("directory already exists")));
  }
}

AtomicDirectory::~AtomicDirectory() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

void AtomicDirectory::Commit() {
  std::error_code ec;
  fs::path old;
  if (fs::exists(target_, ec)) {
    old = UniqueSibling(target_, "old");
    fs::rename(target_, old, ec);
    if (ec) throw IoError("cannot replace " + target_.string() + ": " + ec.message());
  }
  fs::rename(staging_, target_, ec);
  if (ec) {
    std::error_code restore_ec;
    if (!old.empty()) fs::rename(old, target_, restore_ec);
    throw IoError("cannot move " + staging_.string() + " to " + target_.string() + ": " + ec.message());
  }
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace fastintent
