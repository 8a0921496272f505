// `fastintent train --train F --out D` with no --base, --shape or --arch: the default recipe, for users who do not
// want to choose a model or tune one. Each stage is a library call of this executable, except the head's training,
// which needs libtorch and runs in fastintent-torch:
//   1. prune the pretrained multilingual encoder's vocabulary to the training texts (plus every Cyrillic and Latin
//      piece, so unseen words in those scripts segment as before);
//   2. train a classification head on the frozen encoder (`train --freeze-encoder`: the encoder runs once over the
//      data, so a 12-layer model trains in minutes on one core);
//   3. export it to ONNX (fused graph) and quantize it to INT8 behind the accuracy gate (second rung included);
//   4. train the n-gram model on the same texts;
//   5. write an ensemble of the two with equal weights.
// Why this recipe: docs/quality.md "The default training recipe" (it beat every single model we tuned on
// telecom-ru and came within half a point of the best tuned one on Banking77, without a flag).
#include "default_recipe.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "command_registry.h"
#include "eval_flags.h"
#include "fastintent/checkpoint/ensemble_directory.h"
#include "fastintent/checkpoint/model_directory.h"
#include "fastintent/common/atomic_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"
#include "fastintent/export/onnx_export.h"
#include "fastintent/export/quantize.h"
#include "fastintent/ngram/ngram.h"
#include "fastintent/text/model_input.h"
#include "fastintent/vocab/prune_vocabulary.h"
#include "run_command.h"

namespace fastintent::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBaseEnvironment = "FASTINTENT_BASE_MODEL";
constexpr const char* kBaseRelative = "models/base/multilingual-e5-small";
constexpr std::size_t kStages = 5;

struct RecipeFlags {
  fs::path train_file, valid_file, out;
  data::ReadOptions read;
  std::string format;
  double valid_fraction = 0.1;
  std::size_t max_length = 64;  // the measured recipe's; intent phrases are far shorter
  std::size_t threads = 1;
  std::uint64_t seed = 42;
  fs::path text_normalizer;
  bool no_progress = false;
};

// The pretrained encoder: $FASTINTENT_BASE_MODEL, else models/base/multilingual-e5-small under the current
// directory, else under the source tree of this build (build/bin/../..), where scripts/setup.sh installs it.
fs::path FindBase() {
  if (const char* given = std::getenv(kBaseEnvironment); given != nullptr && *given != '\0') {
    if (!fs::is_directory(given)) {
      throw InvalidInput(std::string(kBaseEnvironment) + "=" + given + ": not a directory (a Hugging Face checkpoint)");
    }
    return given;
  }
  for (const fs::path& root : {fs::current_path(), ExecutableDirectory() / ".." / ".."}) {
    if (fs::is_regular_file(root / kBaseRelative / "config.json")) return (root / kBaseRelative).lexically_normal();
  }
  throw InvalidInput(std::string("the default recipe starts from the pretrained multilingual encoder, and ") +
                     kBaseRelative + " was found neither here nor beside this build: run scripts/fetch_e5.sh " +
                     "(scripts/setup.sh does), set " + kBaseEnvironment +
                     ", or choose a model yourself (--base DIR, or --arch ngram)");
}

void Stage(std::size_t index, const std::string& what) {
  std::printf("[%zu/%zu] %s\n", index, kStages, what.c_str());
  std::fflush(stdout);
}

// The texts the encoder will read, as it will read them (the layout normalizer applied; prune-vocab adds the
// base's input prefix itself), one per line: the corpus whose segmentation pruning must keep.
fs::path WriteCorpus(const std::vector<data::Example>& examples, const RecipeFlags& flags, const fs::path& dir) {
  const text::ModelInput input(
      flags.text_normalizer.empty() ? nullptr : text::LoadLayoutNormalizer(flags.text_normalizer), "");
  const fs::path file = dir / "corpus.txt";
  std::ofstream out(file, std::ios::binary);
  for (const auto& example : examples) {
    std::string line = input.Normalize(example.text);
    for (char& c : line) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    out << line << '\n';
  }
  if (!out) throw IoError("cannot write " + file.string());
  return file;
}

std::vector<std::string> HeadTrainingArgs(const RecipeFlags& flags, const fs::path& base, const fs::path& out) {
  std::vector<std::string> args{"train", "--freeze-encoder"};
  const auto flag = [&args](const char* name, const std::string& value) { args.insert(args.end(), {name, value}); };
  flag("--base", base.string());
  flag("--train", flags.train_file.string());
  flag("--max-length", std::to_string(flags.max_length));
  flag("--threads", std::to_string(flags.threads));
  flag("--seed", std::to_string(flags.seed));
  flag("--text-column", flags.read.text_column);
  flag("--label-column", flags.read.label_column);
  flag("--out", out.string());
  if (!flags.valid_file.empty()) {
    flag("--valid", flags.valid_file.string());
  } else {
    flag("--valid-fraction", std::to_string(flags.valid_fraction));
  }
  if (!flags.format.empty()) flag("--format", flags.format);
  if (!flags.text_normalizer.empty()) flag("--text-normalizer", flags.text_normalizer.string());
  if (flags.no_progress) args.push_back("--no-progress");
  return args;
}

// INT8 behind the accuracy gate on the validation split the head's training held out; a refused model keeps fp32.
void QuantizeEncoder(const fs::path& model_dir) {
  exporter::QuantizeOptions options;
  options.escalate = true;
  std::optional<exporter::AccuracyGate> gate;
  if (fs::is_regular_file(model_dir / "valid_split.csv")) {
    gate.emplace();
    gate->valid_file = model_dir / "valid_split.csv";
  }
  const auto result = exporter::QuantizeModelDirectory(model_dir, options, gate);
  if (result.gate) {
    std::printf("      INT8 gate: F1 macro %.2f fp32 -> %.2f INT8 on %zu validation texts%s\n", result.gate->fp32_f1,
                result.gate->int8_f1, result.gate->examples,
                result.written ? "" : " (refused: the encoder serves fp32 only; see `fastintent quantize --help`)");
  }
}

int RunRecipe(const RecipeFlags& flags) {
  const auto started = std::chrono::steady_clock::now();
  data::ReadOptions read = flags.read;
  if (!flags.format.empty()) read.format = flags.format;
  const auto examples = data::ReadExamples(flags.train_file, read);  // bad data fails here, before any work
  std::vector<data::Example> corpus_examples = examples;
  if (!flags.valid_file.empty()) {
    const auto valid = data::ReadExamples(flags.valid_file, read);
    corpus_examples.insert(corpus_examples.end(), valid.begin(), valid.end());
  }
  const fs::path base = FindBase();
  // A scratch directory beside --out, removed on every exit (never committed).
  const AtomicDirectory scratch(flags.out.string() + ".recipe");
  const fs::path& work = scratch.staging();

  Stage(1, "pruning the vocabulary of " + base.string() + " to the training texts (and Cyrillic and Latin pieces)");
  vocab::PruneOptions prune;
  prune.corpora = {WriteCorpus(corpus_examples, flags, work)};
  prune.scripts = {"cyrillic", "latin"};
  const auto pruned = vocab::PruneVocabulary(base, work / "base", prune);
  std::printf("      %zu -> %zu pieces\n", pruned.pieces_before, pruned.pieces_after);

  Stage(2, "training a head on the frozen encoder (fastintent-torch train --freeze-encoder)");
  if (const int code = CallTorchExecutable(HeadTrainingArgs(flags, work / "base", work / "head")); code != kExitOk) {
    return code;
  }

  Stage(3, "exporting the encoder to ONNX and quantizing it to INT8");
  exporter::ExportOptions export_options;
  export_options.graph = exporter::GraphKind::kFused;
  exporter::ExportModelDirectory(work / "head", work / "encoder", export_options);
  QuantizeEncoder(work / "encoder");

  Stage(4, "training the n-gram model");
  ngram::NgramOptions ngram_options;
  ngram_options.text_normalizer = flags.text_normalizer;
  ngram::TrainNgramModel(examples, ngram_options, work / "ngram");

  Stage(5, "writing the ensemble (encoder and n-gram model, equal weights)");
  checkpoint::WriteEnsembleDirectory(
      flags.out, {checkpoint::ReadModelDirectory(work / "encoder"), checkpoint::ReadModelDirectory(work / "ngram")},
      {1.0, 1.0});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "default recipe: %zu examples -> %s in %.1f s (eval, predict and serve take it; "
      "`--quantized` or `--runtime onnx-int8` run the encoder in INT8)\n",
      examples.size(), flags.out.string().c_str(), seconds);
  return kExitOk;
}

}  // namespace

bool AsksForDefaultRecipe(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    for (const char* choice : {"--base", "--shape", "--arch", "--teacher"}) {
      const std::string flag = choice;
      if (arg == flag || arg.rfind(flag + "=", 0) == 0) return false;
    }
  }
  return true;
}

int RunDefaultRecipe(int argc, char** argv) {
  CLI::App app{
      "The default recipe, when neither --base, --shape nor --arch is given: the pretrained multilingual encoder "
      "(multilingual-e5-small, pruned to the data) with a head trained on it frozen, exported and quantized to INT8, "
      "mixed with the n-gram model at equal weights. Minutes on one core, no tuning; docs/training.md. "
      "`fastintent train --base DIR --help` lists the fine-tuning flags, `--arch ngram --help` the n-gram model's.",
      "fastintent train"};
  RecipeFlags flags;
  app.add_option("--train", flags.train_file, "Training data: .csv, .tsv or .jsonl")->required();
  app.add_option("--valid", flags.valid_file, "Validation data (default: a stratified split of --train)");
  app.add_option("--valid-fraction", flags.valid_fraction, "Share of --train held out when no --valid")
      ->check(CLI::Range(0.01, 0.5))
      ->capture_default_str();
  AddDataFileFlags(app, flags.read, flags.format);
  app.add_option("--out", flags.out, "Output model directory (replaced atomically)")->required();
  app.add_option("--max-length", flags.max_length, "Max tokens per text (special tokens included)")
      ->check(CLI::Range(8, 512))
      ->capture_default_str();
  app.add_option("--threads", flags.threads, "Threads for the encoder's pass over the data")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--seed", flags.seed, "Seed: the same seed and data give the same model")->capture_default_str();
  app.add_option("--text-normalizer", flags.text_normalizer,
                 "Keyboard-layout / transliteration normalizer table for both members (e.g. "
                 "data/normalizers/ru-layout-translit.json)")
      ->check(CLI::ExistingFile);
  app.add_flag("--no-progress", flags.no_progress, "No progress bar on stderr");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& error) {
    std::fprintf(stderr,
                 "%s: %s\nThe default recipe takes only the flags of `fastintent train --help`; to set a fine-tune's "
                 "epochs, rate or pooling give --base DIR (e.g. models/base/multilingual-e5-small), for the n-gram "
                 "model --arch ngram.\n",
                 argv[0], error.what());
    return kExitUsage;
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  return RunRecipe(flags);
}

}  // namespace fastintent::cli
