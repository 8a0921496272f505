#include "run_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "command_registry.h"
#include "fastintent/common/error.h"

namespace fastintent::cli {
namespace {

// Commands that live in the delegate executable, shown in --help so users see one tool.
struct DelegatedCommand {
  const char* name;
  const char* summary;
};
constexpr DelegatedCommand kTorchCommands[] = {
    {"train", "fine-tune BERT/DistilBERT (libtorch) or train the n-gram baseline"},
    {"eval", "accuracy, F1 weighted/macro, per-class table, confusion matrix, fallback sweep"},
    {"bench-torch", "the PyTorch (libtorch) rows of the benchmark study"},
};

void PrintUsage(const char* program, bool with_delegated) {
  auto commands = Registry();
  std::sort(commands.begin(), commands.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
  std::cout << "usage: " << program << " <command> [options]   (" << program << " <command> --help for details)\n\n"
            << "commands:\n";
  for (const auto& command : commands) {
    std::printf("  %-10s %s\n", command.name.c_str(), command.summary.c_str());
  }
  if (with_delegated) {
    for (const auto& command : kTorchCommands) {
      const bool local = std::any_of(commands.begin(), commands.end(),
                                     [&](const Command& c) { return c.name == command.name; });
      if (!local) std::printf("  %-10s %s\n", command.name, command.summary);
    }
  }
}

std::filesystem::path SelfDirectory(const char* argv0) {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) self = std::filesystem::absolute(argv0);
  return self.parent_path();
}

}  // namespace

int RunMain(int argc, char** argv, const char* program, const char* delegate) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" ||
      std::string(argv[1]) == "help") {
    PrintUsage(program, delegate != nullptr);
    return argc < 2 ? kExitUsage : kExitOk;
  }
  const std::string name = argv[1];
  if (name == "--version") {
    std::cout << program << " " << FASTINTENT_VERSION << "\n";
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
  if (delegate != nullptr) {
    const auto path = SelfDirectory(argv[0]) / delegate;
    if (std::filesystem::exists(path)) {
      std::vector<char*> args(argv, argv + argc);
      std::string path_string = path.string();
      args[0] = path_string.data();
      args.push_back(nullptr);
      ::execv(path_string.c_str(), args.data());
      std::perror(("cannot run " + path_string).c_str());
      return kExitFailure;
    }
  }
  std::cerr << program << ": unknown command '" << name << "'\n\n";
  PrintUsage(program, delegate != nullptr);
  return kExitUsage;
}

}  // namespace fastintent::cli
