#pragma once
// fastintent_runtime: a text classifier over ONNX Runtime. Loads a model directory in the Hugging Face /
// Optimum export layout (config.json with id2label, tokenizer files, model.onnx, optional
// model_quantized.onnx), or an n-gram baseline directory (config.json model_type "fastintent-ngram"; its
// token ids are feature ids and it has no token limit, see ngram_engine.h). No ONNX Runtime types here.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fastintent/text/tokenizer.h"

namespace fastintent::runtime {

enum class GraphOptimization { kDisabled, kBasic, kExtended, kAll };

struct ClassifierOptions {
  bool quantized = false;                 // load model_quantized.onnx instead of model.onnx
  std::optional<std::filesystem::path> model_file;  // explicit .onnx file inside or outside the directory
  int intra_op_threads = 1;               // per session run (0 = ONNX Runtime's default, all cores); serving
                                          // runs several Classify calls at once instead
  int inter_op_threads = 1;               // only used by parallel execution mode; 0 = ONNX Runtime's default
  GraphOptimization optimization = GraphOptimization::kAll;
  bool enable_cpu_arena = true;
  std::optional<std::size_t> max_length;  // token limit; default: tokenizer/config limit, capped by max_position_embeddings
  bool pad_to_max_length = false;         // the seed article's padding; default pads to the longest in a batch.
                                          // Refused for a graph without attention_mask (padding would change results)
  std::size_t max_batch_size = 32;        // Classify/Logits cut their texts into runs of at most this many
};

struct LabelScore {
  std::string label;
  float score = 0.0f;  // softmax probability
};

struct Prediction {
  std::string label;           // top-1
  float score = 0.0f;
  std::vector<LabelScore> top; // top-k, best first
  bool truncated = false;      // the text was cut to max_length tokens
};

// Token ids ready for inference (what the tokenizer made), so callers like the server's batcher can
// tokenize on their own threads and batch across requests.
struct TokenizedText {
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> type_ids;
  bool truncated = false;
};

struct ModelInfo {
  std::string name;                  // directory name unless config says otherwise
  std::vector<std::string> labels;   // index = class id
  std::size_t max_length = 0;        // token limit; 0 = none (the n-gram baseline reads the whole text)
  bool quantized = false;
  std::string version;               // content hash of the loaded .onnx file (first 12 hex chars)
  std::filesystem::path model_file;
  std::optional<double> fallback_threshold;  // config.json "fallback_threshold", if present (applied by callers)
  std::vector<std::string> input_names;      // as the graph declares them, e.g. {"input_ids"} for the seed form
  std::string output_name;                   // the output read as logits ("logits" or "output")
};

class Classifier {
 public:
  // Throws fastintent::InvalidInput / IoError: missing or broken directory, outputs that do not match
  // the number of labels, unsupported input names.
  static std::shared_ptr<const Classifier> Load(const std::filesystem::path& model_dir,
                                                const ClassifierOptions& options = {});
  virtual ~Classifier() = default;

  // Thread-safe and not serialized behind one lock: many threads may call these at once.
  virtual std::vector<Prediction> Classify(const std::vector<std::string>& texts, std::size_t top_k = 1) const = 0;
  virtual TokenizedText Tokenize(std::string_view text) const = 0;
  // Runs one batch of already tokenized texts (sorted by length and padded to the longest inside; a graph
  // without attention_mask runs each group of equal lengths separately). Results in input order.
  // Throws InvalidInput for an empty text (no ids), more ids than info().max_length, or type_ids of another size.
  virtual std::vector<Prediction> ClassifyTokenized(const std::vector<TokenizedText>& batch,
                                                    std::size_t top_k = 1) const = 0;
  // Raw logits, [texts][labels], in input order; for parity tests and benchmarks.
  virtual std::vector<std::vector<float>> Logits(const std::vector<std::string>& texts) const = 0;

  virtual const ModelInfo& info() const = 0;
  // Throws InvalidInput for a model without a WordPiece tokenizer (the n-gram baseline).
  virtual const text::Tokenizer& tokenizer() const = 0;
};

}  // namespace fastintent::runtime
