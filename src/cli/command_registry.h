#pragma once
// Subcommands register themselves: each src/cli/commands/<name>_command.cpp (or torch_commands/ for the
// libtorch executable) defines one FASTINTENT_COMMAND. Mains stay thin and no file lists every command.
#include <functional>
#include <string>
#include <vector>

namespace fastintent::cli {

struct Command {
  std::string name;
  std::string summary;                            // one line for `fastintent --help`
  std::function<int(int argc, char** argv)> run;  // argv[0] is "fastintent <name>"; returns the exit code
};

std::vector<Command>& Registry();

struct CommandRegistrar {
  explicit CommandRegistrar(Command command) { Registry().push_back(std::move(command)); }
};

// Exit codes shared by all commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the work failed (bad model, bad data, I/O)
inline constexpr int kExitUsage = 2;    // wrong flags or arguments

}  // namespace fastintent::cli

#define FASTINTENT_CONCAT_INNER(a, b) a##b
#define FASTINTENT_CONCAT(a, b) FASTINTENT_CONCAT_INNER(a, b)
#define FASTINTENT_COMMAND(name, summary, fn)                                                         \
  static const ::fastintent::cli::CommandRegistrar FASTINTENT_CONCAT(fastintent_command_, __LINE__) { \
    { name, summary, fn }                                                                             \
  }
