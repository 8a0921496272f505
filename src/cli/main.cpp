// `fastintent`: tokenize, predict, serve, export, quantize, eval (ONNX / n-gram). Never links libtorch;
// train and the torch runtimes run in the sibling `fastintent-torch`.
#include "run_command.h"

int main(int argc, char** argv) { return fastintent::cli::RunMain(argc, argv, "fastintent", "fastintent-torch"); }
