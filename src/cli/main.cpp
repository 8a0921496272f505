// `fastintent`: tokenize, predict, serve, export, quantize, eval, train (n-gram), bench. Never links libtorch;
// training a BERT and the torch runtimes run in the sibling `fastintent-torch`.
#include "run_command.h"

int main(int argc, char** argv) { return fastintent::cli::RunMain(argc, argv, "fastintent", "fastintent-torch"); }
