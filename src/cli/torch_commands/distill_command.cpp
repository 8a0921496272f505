// `fastintent distill`: train a (usually smaller) student on a teacher's softened probabilities together with the
// true labels, and on unlabelled in-domain texts (soft targets only). The output is an ordinary checkpoint:
// export, quantize, eval and serve take it unchanged. Thin: the training flags, the teacher's, fastintent_train.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "command_registry.h"
#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"
#include "train_flags.h"

namespace fastintent::cli {
namespace {

// `count` layers of `total`, spread evenly and starting with the first (12 -> 3: 0, 4, 8).
std::vector<std::size_t> SpreadLayers(std::size_t count, std::size_t total) {
  if (count == 0 || count > total) {
    throw InvalidInput("--student-layers: got " + std::to_string(count) + ", expected 1.." + std::to_string(total) +
                       " (the --base checkpoint's layers)");
  }
  std::vector<std::size_t> layers;
  for (std::size_t i = 0; i < count; ++i) layers.push_back(i * total / count);
  return layers;
}

int RunDistill(int argc, char** argv) {
  CLI::App app{
      "Distill a teacher into a student: the student (--base, with --student-layers / --keep-layers of its encoder "
      "layers) learns alpha * T^2 * KL(teacher_T || student_T) + (1 - alpha) * cross-entropy on --train, and the "
      "soft term alone on --unlabeled texts. The teacher is any model directory the engine serves (exported, "
      "quantized or n-gram) with the same labels.",
      "fastintent distill"};
  const TrainFlags flags(app);
  std::filesystem::path teacher;
  std::vector<std::filesystem::path> unlabeled;
  bool teacher_quantized = false;
  double temperature = 2.0, alpha = 0.5;
  std::size_t student_layers = 0;
  std::vector<std::size_t> keep_layers;
  app.add_option("--teacher", teacher, "Teacher model directory (what `fastintent serve` loads)")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_flag("--teacher-quantized", teacher_quantized, "Run the teacher's model_quantized.onnx (faster)");
  app.add_option("--unlabeled", unlabeled, "Unlabelled in-domain texts: .txt (one a line) or a data set's text column")
      ->check(CLI::ExistingFile);
  app.add_option("--temperature", temperature, "Softening temperature T")->capture_default_str();
  app.add_option("--alpha", alpha, "Weight of the soft (teacher) term, in [0, 1]")->capture_default_str();
  auto* layers_option =
      app.add_option("--student-layers", student_layers, "Keep this many of --base's layers, spread evenly from the first");
  app.add_option("--keep-layers", keep_layers, "Keep exactly these layers of --base (0-based, ascending)")
      ->delimiter(',')
      ->excludes(layers_option);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  train::TrainOptions options = flags.Options();
  if (!options.base_checkpoint) throw InvalidInput("distill needs --base: the checkpoint the student starts from");
  options.teacher_dir = teacher;
  options.teacher_quantized = teacher_quantized;
  options.unlabeled_files = unlabeled;
  options.distill_temperature = temperature;
  options.distill_alpha = alpha;
  if (student_layers > 0) {
    const auto config = checkpoint::ReadModelConfig(*options.base_checkpoint / "config.json");
    options.keep_layers = SpreadLayers(student_layers, config.num_layers);
  } else if (!keep_layers.empty()) {
    options.keep_layers = keep_layers;
  }
  return TrainAndReport(options);
}

}  // namespace

FASTINTENT_COMMAND("distill", "Distill a teacher into a smaller student (soft targets + labels + unlabelled texts)",
                   RunDistill);

}  // namespace fastintent::cli
