#include "worker_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "fastintent/common/error.h"

extern char** environ;

namespace fastintent::bench::detail {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

WorkerProcess::WorkerProcess(const std::vector<std::string>& argv, const std::filesystem::path& stderr_file)
    : stderr_file_(stderr_file) {
  if (argv.empty()) throw InvalidInput("worker: empty command");
  for (const auto& arg : argv) name_ += (name_.empty() ? "" : " ") + arg;
  // A write to a worker that has died must fail with EPIPE (reported below), not kill the study.
  ::signal(SIGPIPE, SIG_IGN);
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) throw Error(Errno("worker: pipe"));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  if (!stderr_file.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const int status = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  to_child_ = in_pipe[1];
  from_child_ = out_pipe[0];
  if (status != 0) {
    ::close(to_child_);
    ::close(from_child_);
    throw Error("worker: cannot start '" + name_ + "': " + std::strerror(status) +
                " (install the peers with tools/peers/setup_peers.sh)");
  }
}

WorkerProcess::~WorkerProcess() {
  if (to_child_ >= 0) ::close(to_child_);
  if (from_child_ >= 0) ::close(from_child_);
  if (pid_ <= 0) return;
  for (int i = 0; i < 1000; ++i) {  // up to 10 s for a clean exit after stdin closes
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

void WorkerProcess::WriteLine(const std::string& line) {
  const std::string data = line + "\n";
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(to_child_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(Errno("worker '" + name_ + "' stopped reading") + LogHint());
    done += static_cast<std::size_t>(n);
  }
}

std::string WorkerProcess::ReadLine() {
  for (;;) {
    const auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    char chunk[65536];
    const ssize_t n = ::read(from_child_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error("worker '" + name_ + "' exited without a reply" + LogHint());
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string WorkerProcess::LogHint() const {
  return stderr_file_.empty() ? std::string() : " (its stderr is in " + stderr_file_.string() + ")";
}

}  // namespace fastintent::bench::detail
