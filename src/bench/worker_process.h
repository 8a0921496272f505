#pragma once
// A child process spoken to in lines: our requests on its stdin, its replies on its stdout, its stderr to a log
// file (or inherited). Ends the child on destruction: closes its stdin, waits up to 10 s, then kills it.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fastintent::bench::detail {

class WorkerProcess {
 public:
  // Throws Error when the program cannot be started.
  WorkerProcess(const std::vector<std::string>& argv, const std::filesystem::path& stderr_file);
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  void WriteLine(const std::string& line);  // throws Error when the child has gone
  std::string ReadLine();                   // blocks; throws Error when the child closed its stdout
  const std::string& name() const { return name_; }

 private:
  std::string LogHint() const;

  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string buffer_;
  std::string name_;  // argv joined, for messages
  std::filesystem::path stderr_file_;
};

}  // namespace fastintent::bench::detail
