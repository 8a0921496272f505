#pragma once
// Shared body of the CLI mains: picks the subcommand from argv[1] and runs it, turning uncaught errors
// into a message on stderr and a non-zero exit code (never a crash on bad input).
#include <filesystem>
#include <string>
#include <vector>

namespace fastintent::cli {

// `delegate` names a sibling executable that handles commands this one does not have (the libtorch
// commands live in `fastintent-torch` so that the serving/predict binary never links libtorch). `--help`
// lists the delegate's commands too, by asking it (`<delegate> --list-commands`).
int RunMain(int argc, char** argv, const char* program, const char* delegate);

// Runs the same command line in the libtorch executable beside this one (a command of the main binary that
// needs libtorch for some of its options, e.g. `train` of a BERT or `eval --runtime torch`). `args` are the
// command's own arguments as it received them (args[0] is "fastintent <command>"). Returns only on failure.
int RunInTorchExecutable(int argc, char** args);

// Runs `fastintent-torch <args...>` as a child process (its output goes where ours goes) and waits for it. Returns
// its exit code; kExitFailure, with a message on stderr, when it is not installed or cannot be started, or when it
// died of a signal.
int CallTorchExecutable(const std::vector<std::string>& args);

// The directory of the running executable (/proc/self/exe), else the current directory.
std::filesystem::path ExecutableDirectory();

}  // namespace fastintent::cli
