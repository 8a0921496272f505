#pragma once
// Shared body of the CLI mains: picks the subcommand from argv[1] and runs it, turning uncaught errors
// into a message on stderr and a non-zero exit code (never a crash on bad input).
namespace fastintent::cli {

// `delegate` names a sibling executable that handles commands this one does not have (the libtorch
// commands live in `fastintent-torch` so that the serving/predict binary never links libtorch).
int RunMain(int argc, char** argv, const char* program, const char* delegate);

}  // namespace fastintent::cli
