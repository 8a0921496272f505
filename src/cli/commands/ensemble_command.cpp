// fastintent ensemble --model DIR --model DIR [...] [--weights 0.7,0.3 | --valid FILE] --out DIR
// Builds an ensemble model directory (checkpoint/ensemble_directory.h): copies the member directories into --out
// (atomically) and writes its config.json. Weights: --weights as given (normalised); else the best F1 macro on
// --valid over a grid in steps of 0.1 (ensemble_weights.h); else equal.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "command_registry.h"
#include "ensemble_weights.h"
#include "eval_flags.h"
#include "fastintent/checkpoint/ensemble_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/runtime/classifier.h"

namespace fastintent::cli {
namespace {

namespace fs = std::filesystem;

// The members as directories, refused before anything is loaded or copied when they cannot form an ensemble.
std::vector<checkpoint::ModelDirectory> ReadMembers(const std::vector<fs::path>& dirs) {
  std::vector<checkpoint::ModelDirectory> members;
  for (const auto& dir : dirs) {
    checkpoint::ModelDirectory member = checkpoint::ReadModelDirectory(dir);
    checkpoint::CheckEnsembleMember(member, "--model");
    if (!members.empty()) checkpoint::MapLabels(member, members.front());  // throws naming both directories
    members.push_back(std::move(member));
  }
  return members;
}

std::string Percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", 100.0 * value);
  return text;
}

std::string WeightList(const std::vector<double>& weights) {
  std::string text;
  for (const double w : weights) {
    char item[32];
    std::snprintf(item, sizeof item, "%s%.2f", text.empty() ? "" : ",", w);
    text += item;
  }
  return text;
}

std::vector<double> WeightsFromValidation(const std::vector<checkpoint::ModelDirectory>& members,
                                          const fs::path& valid, const data::ReadOptions& read, int threads,
                                          std::size_t batch_size) {
  runtime::ClassifierOptions options;
  options.intra_op_threads = threads;
  std::vector<std::shared_ptr<const runtime::Classifier>> loaded;
  for (const auto& member : members) loaded.push_back(runtime::Classifier::Load(member.dir, options));
  const auto examples = data::ReadExamples(valid, read);
  const WeightSearch search = ChooseWeights(loaded, members.front().labels, examples, batch_size);
  std::printf("Weights chosen on %s (%zu examples, %zu grid points, best F1 macro; ties: closest to equal)\n\n",
              valid.string().c_str(), examples.size(), search.candidates);
  std::printf("| model | weights | accuracy | F1 macro |\n|---|---|---:|---:|\n");
  for (std::size_t m = 0; m < members.size(); ++m) {
    std::printf("| %s | alone | %s | %s |\n", members[m].dir.string().c_str(),
                Percent(search.members[m].accuracy).c_str(), Percent(search.members[m].f1_macro).c_str());
  }
  std::printf("| ensemble | %s | %s | %s |\n\n", WeightList(search.weights).c_str(),
              Percent(search.mixture.accuracy).c_str(), Percent(search.mixture.f1_macro).c_str());
  return search.weights;
}

int RunEnsemble(int argc, char** argv) {
  CLI::App app{
      "Build an ensemble model directory: the --model directories (ONNX exports or n-gram models with the same "
      "labels) copied into --out, whose config.json mixes their calibrated probabilities with fixed weights. "
      "`fastintent eval`, `predict` and `serve` take it like any model directory; its latency is the sum of the "
      "members'."};
  std::vector<fs::path> model_dirs;
  std::vector<double> weights;
  fs::path valid;
  fs::path out;
  data::ReadOptions read;
  std::string format;
  int threads = 1;
  std::size_t batch_size = 64;
  app.add_option("--model", model_dirs, "A member model directory (give --model once per member, at least two)")
      ->required();
  auto* weights_flag = app.add_option("--weights", weights,
                                      "One weight per --model, in order (normalised to sum to 1), e.g. 0.7,0.3")
                           ->delimiter(',');
  app.add_option("--valid", valid,
                 "Labelled CSV/TSV/JSONL: choose the weights with the best F1 macro on it, over a grid in steps of "
                 "0.1 (default without --weights: equal weights)")
      ->excludes(weights_flag);
  AddDataFileFlags(app, read, format);
  app.add_option("--threads", threads, "Intra-op threads for ONNX members while choosing weights")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--batch-size", batch_size, "Texts per inference call while choosing weights")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--out", out, "Ensemble directory to write (replaced atomically)")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  if (!format.empty()) read.format = format;
  if (model_dirs.size() < 2) {
    throw InvalidInput("--model: got " + std::to_string(model_dirs.size()) + " model directory, expected at least 2");
  }
  const auto members = ReadMembers(model_dirs);
  if (!weights.empty() && weights.size() != members.size()) {
    throw InvalidInput("--weights: got " + std::to_string(weights.size()) + " weights for " +
                       std::to_string(members.size()) + " models, expected one per --model");
  }
  if (!weights.empty()) {
    weights = checkpoint::NormaliseEnsembleWeights(weights, "--weights");
  } else if (!valid.empty()) {
    weights = WeightsFromValidation(members, valid, read, threads, batch_size);
  } else {
    weights.assign(members.size(), 1.0 / static_cast<double>(members.size()));
  }

  checkpoint::WriteEnsembleDirectory(out, members, weights);
  std::printf("wrote %s: %zu members, weights %s\n", out.string().c_str(), members.size(), WeightList(weights).c_str());
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("ensemble", "Build an ensemble model directory that mixes several models' probabilities",
                   RunEnsemble);

}  // namespace fastintent::cli
