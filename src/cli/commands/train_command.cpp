// `fastintent train --arch ngram`: trains the n-gram baseline (fastintent_ngram, no libtorch). Without --base,
// --shape or --arch: the default recipe (default_recipe.h; needs the export area and fastintent-torch). Every other
// `train` (fine-tuning a BERT-family checkpoint, or a model from a shape) needs libtorch and runs in
// fastintent-torch with the same command line.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "command_registry.h"
#if FASTINTENT_HAS_DEFAULT_RECIPE
#include "default_recipe.h"
#endif
#include "fastintent/data/dataset.h"
#include "fastintent/ngram/ngram.h"
#include "run_command.h"

namespace fastintent::cli {
namespace {

bool AsksForNgram(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--arch=ngram" || (arg == "--arch" && i + 1 < argc && std::string(argv[i + 1]) == "ngram")) return true;
  }
  return false;
}

int RunTrainNgram(int argc, char** argv) {
  CLI::App app{
      "Train the n-gram baseline (TF-IDF word 1-2 + char 1-5 grams, liblinear logistic regression) on "
      "labelled texts. Writes a model directory that predict, eval and serve run like any other.",
      "fastintent train --arch ngram"};
  std::string arch;
  std::filesystem::path train_file, out_dir;
  data::ReadOptions read;
  std::string format;
  ngram::NgramOptions options;
  app.add_option("--arch", arch, "ngram")->check(CLI::IsMember({"ngram"}))->required();
  app.add_option("--train", train_file, "Training data: .csv, .tsv or .jsonl")->required();
  app.add_option("--out", out_dir, "Output directory (replaced atomically)")->required();
  app.add_option("--text-column", read.text_column, "Text column / JSONL key")->capture_default_str();
  app.add_option("--label-column", read.label_column, "Label column / JSONL key")->capture_default_str();
  app.add_option("--format", format, "csv, tsv or jsonl (default: from the file extension)")
      ->check(CLI::IsMember({"csv", "tsv", "jsonl"}));
  app.add_option("--ngram-c", options.c, "liblinear inverse regularization C")->capture_default_str();
  app.add_flag("--multi-label", options.multi_label,
               "Texts may carry several labels, separated in the label column by --label-separator: one logistic "
               "regression per label, scored with a sigmoid each");
  app.add_option("--label-separator", options.label_separator, "Separator of several labels in one field")
      ->capture_default_str();
  app.add_option("--valid-fraction", options.valid_fraction,
                 "--multi-label: share of --train held out to choose each label's threshold (its best F1 there)")
      ->check(CLI::Range(0.0, 0.5))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of that split")->capture_default_str();
  app.add_option("--text-normalizer", options.text_normalizer,
                 "Keyboard-layout / transliteration normalizer table (e.g. data/normalizers/ru-layout-translit.json): "
                 "applied to every text and stored in the model directory, so predict, eval and serve apply it too")
      ->check(CLI::ExistingFile);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (!format.empty()) read.format = format;
  const auto examples = data::ReadExamples(train_file, read);
  const auto summary = ngram::TrainNgramModel(examples, options, out_dir);
  if (summary.valid_examples > 0) {
    std::printf("label thresholds chosen on %zu held-out examples (--valid-fraction)\n", summary.valid_examples);
  }
  std::printf("n-gram model: %zu examples, %zu classes, %zu word + %zu char features, %.1f s -> %s\n", summary.examples,
              summary.classes, summary.word_features, summary.char_features, summary.seconds, out_dir.c_str());
  return kExitOk;
}

int RunTrain(int argc, char** argv) {
  if (AsksForNgram(argc, argv)) return RunTrainNgram(argc, argv);
#if FASTINTENT_HAS_DEFAULT_RECIPE
  if (AsksForDefaultRecipe(argc, argv)) return RunDefaultRecipe(argc, argv);
#endif
  return RunInTorchExecutable(argc, argv);
}

}  // namespace

FASTINTENT_COMMAND("train",
                   "train a model: the default recipe (no --base), a fine-tune of --base (libtorch) or the n-gram "
                   "baseline (--arch ngram)",
                   RunTrain);

}  // namespace fastintent::cli
