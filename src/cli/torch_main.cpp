// `fastintent-torch`: the commands that need libtorch (train, eval --runtime torch, bench's PyTorch row).
// Users normally call them through `fastintent <command>`, which runs this executable.
#include "run_command.h"

int main(int argc, char** argv) { return fastintent::cli::RunMain(argc, argv, "fastintent-torch", nullptr); }
