// `fastintent train`: fine-tune a BERT/DistilBERT checkpoint (or train one from a shape) with libtorch. Thin:
// parses flags, hands to fastintent_train. (`--arch ngram` is the main executable's own `train`.)
#include <CLI/CLI.hpp>

#include "command_registry.h"
#include "train_flags.h"

namespace fastintent::cli {
namespace {

int RunTrain(int argc, char** argv) {
  CLI::App app{
      "Fine-tune BERT/DistilBERT (libtorch) on labelled texts (`--arch ngram`: the n-gram baseline).\n"
      "Writes a Hugging Face checkpoint directory (best epoch by validation F1 macro) with metrics.json\n"
      "and learning_curve.svg.",
      "fastintent train"};
  const TrainFlags flags(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  return TrainAndReport(flags.Options());
}

}  // namespace

FASTINTENT_COMMAND("train", "fine-tune BERT/DistilBERT (libtorch)", RunTrain);

}  // namespace fastintent::cli
