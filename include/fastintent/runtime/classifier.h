#pragma once
// fastintent_runtime: a text classifier: text in, scores out. Loads a model directory in the Hugging Face /
// Optimum export layout (config.json with id2label, tokenizer files, model.onnx, optional
// model_quantized.onnx) and runs it with ONNX Runtime, or an n-gram baseline directory (config.json model_type
// "fastintent-ngram", see ngram_engine.h), or an ensemble of such directories (model_type "fastintent-ensemble",
// see ensemble_classifier.h). The kind is read from config.json (checkpoint::ReadModelDirectory).
// No ONNX Runtime types here.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fastintent::runtime {

enum class GraphOptimization { kDisabled, kBasic, kExtended, kAll };

struct ClassifierOptions {
  bool quantized = false;                           // load model_quantized.onnx instead of model.onnx
  std::optional<std::filesystem::path> model_file;  // explicit .onnx file inside or outside the directory
  int intra_op_threads = 1;                         // per session run (0 = ONNX Runtime's default, all cores); serving
                                                    // runs several Classify calls at once instead
  int inter_op_threads = 1;                         // only used by parallel execution mode; 0 = ONNX Runtime's default
  GraphOptimization optimization = GraphOptimization::kAll;
  bool enable_cpu_arena = true;
  // Each attention core of a fastintent plain export runs as one native kernel (ai.fastintent::Attention, rewritten
  // in memory at load; the file is not changed). false: ONNX Runtime's own ops, as the file spells them.
  bool native_attention = true;
  std::optional<std::size_t>
      max_length;                   // token limit; default: tokenizer/config limit, capped by max_position_embeddings
  bool pad_to_max_length = false;   // the seed article's padding; default pads to the longest in a batch.
                                    // Refused for a graph without attention_mask (padding would change results)
  std::size_t max_batch_size = 32;  // Classify/Logits cut their texts into runs of at most this many
  // Scores: false ignores the model's fitted temperature (config "fastintent_temperature"), for comparing
  // calibrated and raw scores. A set fallback threshold overrides config.json's "fallback_threshold".
  bool calibrated = true;
  std::optional<double> fallback_threshold;
};

struct LabelScore {
  std::string label;
  float score = 0.0f;  // probability: softmax over labels (single-label) or sigmoid per label (multi-label),
                       // of the logits divided by the model's temperature
  float logit = 0.0f;  // the raw logit
};

struct Prediction {
  std::string label;  // top-1
  float score = 0.0f;
  std::vector<LabelScore> top;  // top-k, best first
  bool truncated = false;       // the text was cut to max_length tokens
  // The model's operator hand-off policy says so: the top score is under its fallback threshold, or the top two
  // are closer than its margin ("fastintent_fallback_margin"); a multi-label model also when no label reaches
  // its threshold.
  bool fallback = false;
  // Multi-label models: every label whose probability reaches its threshold ("fastintent_label_thresholds",
  // else 0.5), best first. Single-label: empty.
  std::vector<LabelScore> labels;
};

// What Classifier::Prepare made of one text, ready to be scored in a batch: the model's input units (token
// ids for an encoder, known n-gram feature ids for the n-gram model), so callers like the server's batcher
// can prepare texts on their own threads and batch across requests.
//
// A composite model (an ensemble) leaves ids and type_ids empty and puts in `members` one PreparedText per
// member model, in its member order, each what that member's Prepare made; only the composite that made them
// reads them. cost() is the text's cost in a batch, what the batcher sorts by and pads to: ids.size() for a
// plain text, the largest member cost for a composite (its members run one after another, each padding to its
// own longest text, so the longest member input is what sets a batch's padding).
struct PreparedText {
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> type_ids;  // token types, for encoders that have them; else empty
  bool truncated = false;              // the text was cut to the model's token limit (a composite: by any member)
  std::vector<PreparedText> members;   // a composite model's per-member inputs; else empty

  std::size_t cost() const {
    std::size_t largest = ids.size();
    for (const auto& member : members) largest = std::max(largest, member.cost());
    return largest;
  }
};

struct ModelInfo {
  std::string name;                 // directory name unless config says otherwise
  std::vector<std::string> labels;  // index = class id
  std::size_t max_length = 0;       // token limit; 0 = none (the n-gram baseline reads the whole text)
  bool quantized = false;
  std::string version;  // content hash of the loaded .onnx file (first 12 hex chars)
  std::filesystem::path model_file;
  std::optional<double> fallback_threshold;  // config.json "fallback_threshold" (or the options' override)
  std::optional<double> fallback_margin;     // config.json "fastintent_fallback_margin"
  std::optional<double> temperature;         // config.json "fastintent_temperature", when scores use it
  bool multi_label = false;                  // config.json "problem_type": "multi_label_classification"
  std::vector<std::string> input_names;      // as the graph declares them, e.g. {"input_ids"} for the seed form
  std::string output_name;                   // the output read as logits ("logits" or "output")
  std::string input_prefix;                  // config "fastintent_input_prefix", prepended by Prepare/Classify
  bool text_normalizer = false;              // text_normalizer.json rewrites wrong-layout / translit Latin first
  std::size_t native_attention_cores = 0;    // attention cores running on the native kernel (0: ONNX Runtime's ops)
  std::string native_attention_isa;          // its instruction set ("avx512", "avx2", "generic"); empty when 0 cores
};

class Classifier {
 public:
  // Throws fastintent::InvalidInput / IoError: missing or broken directory, outputs that do not match
  // the number of labels, unsupported input names.
  static std::shared_ptr<const Classifier> Load(const std::filesystem::path& model_dir,
                                                const ClassifierOptions& options = {});
  virtual ~Classifier() = default;

  // Thread-safe and not serialized behind one lock: many threads may call these at once.

  // Text in, scores out; model calls of at most ClassifierOptions::max_batch_size texts. Results in input order.
  virtual std::vector<Prediction> Classify(const std::vector<std::string>& texts, std::size_t top_k = 1) const = 0;
  // Raw logits, [texts][labels], in input order (log-probabilities for the n-gram model: their softmax is its
  // probabilities); for parity tests, the accuracy gate and benchmarks.
  virtual std::vector<std::vector<float>> Logits(const std::vector<std::string>& texts) const = 0;

  // The two halves of Classify. Prepare turns one text into the model's input units; ClassifyPrepared runs
  // one batch of them as given (an encoder sorts it by length and pads to the longest inside; a graph without
  // attention_mask runs each group of equal lengths separately). Results in input order. ClassifyPrepared and
  // LogitsPrepared throw InvalidInput for an input Prepare could not have made (no ids for an encoder, more
  // ids than info().max_length, type_ids of another size, an unknown n-gram feature id, a composite's members
  // missing or of another count). A batch is best sorted by PreparedText::cost().
  virtual PreparedText Prepare(std::string_view text) const = 0;
  // A text pair for ClassifyPrepared, encoded as the model's tokenizer pairs them (BERT: [CLS] a [SEP] b [SEP], token
  // types 0 and 1; over the token limit, the longer text is cut first, as Hugging Face's longest_first). Throws
  // InvalidInput for a model that has no pair encoding (the n-gram baseline).
  virtual PreparedText PreparePair(std::string_view first, std::string_view second) const = 0;
  virtual std::vector<Prediction> ClassifyPrepared(const std::vector<PreparedText>& batch,
                                                   std::size_t top_k = 1) const = 0;
  virtual std::vector<std::vector<float>> LogitsPrepared(const std::vector<PreparedText>& batch) const = 0;

  virtual const ModelInfo& info() const = 0;
};

}  // namespace fastintent::runtime
