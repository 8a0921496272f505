#include "run_command.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "command_registry.h"
#include "fastintent/common/error.h"

namespace fastintent::cli {
namespace {

constexpr const char* kTorchExecutable = "fastintent-torch";

std::vector<Command> SortedLocalCommands() {
  auto commands = Registry();
  std::sort(commands.begin(), commands.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
  return commands;
}

// "name<TAB>summary" lines of the delegate's commands; empty when it is not installed beside this binary.
std::vector<std::pair<std::string, std::string>> DelegatedCommands(const char* delegate) {
  std::vector<std::pair<std::string, std::string>> commands;
  const auto path = ExecutableDirectory() / delegate;
  if (!std::filesystem::exists(path)) return commands;
  FILE* pipe = ::popen(("'" + path.string() + "' --list-commands 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return commands;
  std::string output;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  ::pclose(pipe);
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) commands.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return commands;
}

void PrintUsage(const char* program, const char* delegate) {
  const auto commands = SortedLocalCommands();
  std::cout << "usage: " << program << " <command> [options]   (" << program << " <command> --help for details)\n\n"
            << "commands:\n";
  for (const auto& command : commands) std::printf("  %-12s %s\n", command.name.c_str(), command.summary.c_str());
  if (delegate == nullptr) return;
  for (const auto& delegated : DelegatedCommands(delegate)) {
    const std::string& name = delegated.first;
    const bool local = std::any_of(commands.begin(), commands.end(), [&](const Command& c) { return c.name == name; });
    if (!local) std::printf("  %-12s %s\n", name.c_str(), delegated.second.c_str());
  }
}

int Exec(const std::filesystem::path& path, std::vector<char*> args) {
  std::string path_string = path.string();
  args[0] = path_string.data();
  args.push_back(nullptr);
  ::execv(path_string.c_str(), args.data());
  std::perror(("cannot run " + path_string).c_str());
  return kExitFailure;
}

// Says on stderr why the torch executable is missing; true when it is there.
bool TorchExecutableInstalled(const std::filesystem::path& path, const std::string& caller) {
  if (std::filesystem::exists(path)) return true;
  std::cerr << caller << ": this needs libtorch, and " << path.string()
            << " is not installed (a build with FASTINTENT_WITH_TORCH=OFF)\n";
  return false;
}

}  // namespace

std::filesystem::path ExecutableDirectory() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : self.parent_path();
}

int CallTorchExecutable(const std::vector<std::string>& args) {
  const auto path = ExecutableDirectory() / kTorchExecutable;
  if (!TorchExecutableInstalled(path, args.empty() ? std::string(kTorchExecutable) : args.front())) return kExitFailure;
  std::vector<std::string> owned{path.string()};
  owned.insert(owned.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : owned) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::cout.flush();
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) {
    std::perror("cannot start fastintent-torch");
    return kExitFailure;
  }
  if (child == 0) {
    ::execv(argv[0], argv.data());
    std::perror(("cannot run " + owned.front()).c_str());
    ::_exit(kExitFailure);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      std::perror("waiting for fastintent-torch");
      return kExitFailure;
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  std::cerr << owned.front() << " died of signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0) << "\n";
  return kExitFailure;
}

int RunInTorchExecutable(int argc, char** args) {
  const auto path = ExecutableDirectory() / kTorchExecutable;
  if (!TorchExecutableInstalled(path, args[0])) return kExitFailure;
  // args[0] is "<program> <command>": the delegate is called as `fastintent-torch <command> <args...>`.
  std::string command = args[0];
  command = command.substr(command.rfind(' ') + 1);
  std::vector<char*> full{nullptr, command.data()};
  full.insert(full.end(), args + 1, args + argc);
  return Exec(path, std::move(full));
}

int RunMain(int argc, char** argv, const char* program, const char* delegate) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
    PrintUsage(program, delegate);
    return argc < 2 ? kExitUsage : kExitOk;
  }
  const std::string name = argv[1];
  if (name == "--version") {
    std::cout << program << " " << FASTINTENT_VERSION << "\n";
    return kExitOk;
  }
  if (name == "--list-commands") {  // for the main executable's --help (see DelegatedCommands)
    for (const auto& command : SortedLocalCommands()) std::cout << command.name << '\t' << command.summary << '\n';
    return kExitOk;
  }
  for (const auto& command : Registry()) {
    if (command.name != name) continue;
    std::string label = std::string(program) + " " + name;
    std::vector<char*> args(argv + 1, argv + argc);
    args[0] = label.data();
    args.push_back(nullptr);
    try {
      return command.run(static_cast<int>(args.size() - 1), args.data());
    } catch (const fastintent::Error& e) {
      std::cerr << program << " " << name << ": error: " << e.what() << "\n";
      return kExitFailure;
    } catch (const std::bad_alloc&) {
      std::cerr << program << " " << name << ": error: out of memory\n";
      return kExitFailure;
    } catch (const std::exception& e) {
      std::cerr << program << " " << name << ": internal error: " << e.what() << "\n";
      return kExitFailure;
    }
  }
  if (delegate != nullptr && std::filesystem::exists(ExecutableDirectory() / delegate)) {
    return Exec(ExecutableDirectory() / delegate, std::vector<char*>(argv, argv + argc));
  }
  std::cerr << program << ": unknown command '" << name << "'\n\n";
  PrintUsage(program, delegate);
  return kExitUsage;
}

}  // namespace fastintent::cli
