// fastintent prune-vocab --model DIR --corpus FILE [--corpus FILE ...] [--scripts cyrillic,latin] --out DIR
// Thin: hands to fastintent_vocab and prints what was kept.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "command_registry.h"
#include "fastintent/vocab/prune_vocabulary.h"

namespace fastintent::cli {
namespace {

int RunPruneVocab(int argc, char** argv) {
  CLI::App app{"Prune a checkpoint's vocabulary to the pieces a corpus and chosen scripts need: rewrites the "
               "embedding table, tokenizer.json / vocab.txt and config.json with one id map, and checks that every "
               "corpus text tokenizes to the same pieces as before.",
               "fastintent prune-vocab"};
  std::filesystem::path model, out;
  vocab::PruneOptions options;
  app.add_option("--model", model, "Checkpoint directory (config.json, model.safetensors, tokenizer files)")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--corpus", options.corpora,
                 "Texts that must tokenize unchanged: data sets (.csv/.tsv/.jsonl) or .txt files, one text a line")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--scripts", options.scripts,
                 "Also keep every piece of these scripts (cyrillic, latin, greek), so other texts in them segment "
                 "as before; default: the corpus alone")
      ->delimiter(',');
  app.add_option("--out", out, "Output checkpoint directory (replaced atomically)")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  const vocab::PruneSummary s = vocab::PruneVocabulary(model, out, options);
  std::printf(
      "prune-vocab: %zu corpus texts; kept %zu of %zu pieces (%zu the corpus uses, %zu more for the scripts); "
      "embedding rows %zu -> %zu; parameters %zu -> %zu; every corpus text tokenizes as before -> %s\n",
      s.corpus_texts, s.pieces_after, s.pieces_before, s.from_corpus, s.from_scripts, s.rows_before, s.pieces_after,
      s.parameters_before, s.parameters_after, out.c_str());
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("prune-vocab", "Keep the vocabulary a corpus and chosen scripts need (smaller, faster model)",
                   RunPruneVocab);

}  // namespace fastintent::cli
