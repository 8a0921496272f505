// fastintent predict --model DIR [--quantized] [--top-k K] [--threads N] [--max-length N] [TEXT ...]
// Classifies the TEXT arguments, or stdin one text per line, and writes one JSON object per text:
// {"text", "label", "score", "top": [{"label", "score"}...], "fallback", "truncated"}, and for a multi-label model
// "labels": [{"label", "score"}...] (every label over its threshold); --raw-scores adds each entry's "logit".
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "command_registry.h"
#include "fastintent/common/error.h"
#include "fastintent/runtime/classifier.h"

namespace fastintent::cli {
namespace {

// Stdin is classified in chunks so that a long input streams instead of being held in memory.
constexpr std::size_t kStdinChunk = 256;

// With `raw`, each entry also carries its logit (before the temperature, softmax or sigmoid).
nlohmann::ordered_json LabelScores(const std::vector<runtime::LabelScore>& entries, bool raw) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& entry : entries) {
    nlohmann::ordered_json item{{"label", entry.label}, {"score", entry.score}};
    if (raw) item["logit"] = entry.logit;
    out.push_back(std::move(item));
  }
  return out;
}

void PrintPredictions(const std::vector<std::string>& texts, const std::vector<runtime::Prediction>& predictions,
                      bool multi_label, bool raw) {
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto& prediction = predictions[i];
    nlohmann::ordered_json out;  // keys in the documented order: text, label, score, top, [labels,] fallback, truncated
    out["text"] = texts[i];
    out["label"] = prediction.label;
    out["score"] = prediction.score;
    out["top"] = LabelScores(prediction.top, raw);
    if (multi_label) out["labels"] = LabelScores(prediction.labels, raw);
    out["fallback"] = prediction.fallback;
    out["truncated"] = prediction.truncated;
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
}

int RunPredict(int argc, char** argv) {
  CLI::App app{
      "Classify texts with an ONNX model directory (config.json with id2label, tokenizer files, "
      "model.onnx / model_quantized.onnx). Texts come from the arguments, or from stdin one per line; "
      "each result is one JSON line {\"text\",\"label\",\"score\",\"top\",\"fallback\",\"truncated\"} (and \"labels\" "
      "for a "
      "multi-label model)."};
  std::string model_dir;
  bool quantized = false;
  bool raw_scores = false;
  std::size_t top_k = 3;
  int threads = 1;
  bool ort_attention = false;
  std::size_t max_length = 0;
  std::size_t batch_size = 32;
  std::vector<std::string> texts;
  app.add_option("--model", model_dir, "Model directory")->required();
  app.add_flag("--quantized", quantized, "Use model_quantized.onnx (INT8) instead of model.onnx");
  app.add_flag("--raw-scores", raw_scores,
               "Also print each label's logit (\"logit\"), before the model's temperature and softmax or sigmoid");
  app.add_option("--top-k", top_k, "How many labels to list in \"top\"")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--ort-attention", ort_attention,
               "Run the attention cores in ONNX Runtime's own ops instead of fastintent's native kernel");
  app.add_option("--threads", threads, "ONNX Runtime intra-op threads (0 = all cores)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--max-length", max_length,
                 "Truncate texts to N tokens, special tokens included (default: the tokenizer's limit, at most "
                 "max_position_embeddings)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1} << 20));
  app.add_option("--batch-size", batch_size, "Texts per inference run (sorted by length, padded to the longest)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("texts", texts, "Texts to classify (default: read stdin, one text per line)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }

  runtime::ClassifierOptions options;
  options.quantized = quantized;
  options.intra_op_threads = threads;
  options.native_attention = !ort_attention;
  options.max_batch_size = batch_size;
  if (max_length > 0) options.max_length = max_length;
  const auto classifier = runtime::Classifier::Load(model_dir, options);

  std::ios::sync_with_stdio(false);
  if (!texts.empty()) {
    PrintPredictions(texts, classifier->Classify(texts, top_k), classifier->info().multi_label, raw_scores);
  } else {
    // C stdio rather than std::cin: a read error (EISDIR, EIO) must be told apart from the end of input.
    std::vector<std::string> chunk;
    auto flush = [&] {
      PrintPredictions(chunk, classifier->Classify(chunk, top_k), classifier->info().multi_label, raw_scores);
      chunk.clear();
    };
    char* buffer = nullptr;
    std::size_t capacity = 0;
    ssize_t length = 0;
    errno = 0;
    while ((length = ::getline(&buffer, &capacity, stdin)) >= 0) {
      std::string line(buffer, static_cast<std::size_t>(length));
      if (!line.empty() && line.back() == '\n') line.pop_back();
      if (!line.empty() && line.back() == '\r') line.pop_back();
      chunk.push_back(std::move(line));
      if (chunk.size() == kStdinChunk) flush();
    }
    const int read_errno = errno;
    const bool read_failed = std::ferror(stdin) != 0;
    std::free(buffer);
    if (read_failed) throw IoError(std::string("predict: reading stdin failed: ") + std::strerror(read_errno));
    if (!chunk.empty()) flush();
  }
  std::cout.flush();
  if (!std::cout) throw IoError("predict: writing stdout failed");
  return kExitOk;
}

}  // namespace

FASTINTENT_COMMAND("predict", "Classify texts (arguments or stdin lines) with an ONNX model directory", RunPredict);

}  // namespace fastintent::cli
