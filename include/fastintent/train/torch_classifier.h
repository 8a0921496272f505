#pragma once
// fastintent_train: BERT and DistilBERT sequence classifiers in libtorch with the parameter names and math
// of Hugging Face transformers' BertForSequenceClassification / DistilBertForSequenceClassification.
// Only std types and our own here: the torch modules stay inside src/train/.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fastintent/checkpoint/checkpoint.h"

namespace fastintent::train {

// A batch of token ids, row-major [batch, sequence]; attention_mask 1 = real token, 0 = padding.
// type_ids may be empty (all zeros); DistilBERT ignores them.
struct TokenBatch {
  std::size_t batch = 0;
  std::size_t sequence = 0;
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> attention_mask;
  std::vector<std::int64_t> type_ids;
};

class TorchClassifier {
 public:
  // Loads config.json + model.safetensors from a Hugging Face checkpoint directory (also a
  // sentence-transformers or bare-encoder directory). Encoder weights are required (a missing or
  // mis-shaped one throws InvalidInput naming it); a missing pooler/classifier head, or one whose class
  // count differs from `labels` when given, is initialised randomly from `seed` as transformers does.
  // `labels` empty = keep the checkpoint's id2label. Pooling: `pooling` if given, else what config.json
  // says, else kMean for a BERT checkpoint without pooler weights (e5, sentence-transformers) and kCls
  // otherwise; a head trained for another pooling or other labels is not kept. config().pooling is set.
  // `keep_layers` (ascending indices) loads only those encoder layers, renumbered 0..n-1: a shallower student
  // initialised from a deeper model.
  static TorchClassifier Load(const std::filesystem::path& checkpoint_dir, const std::vector<std::string>& labels = {},
                              std::uint64_t seed = 42, std::optional<checkpoint::Pooling> pooling = std::nullopt,
                              const std::vector<std::size_t>& keep_layers = {});
  // All weights random (normal(0, 0.02), biases 0, LayerNorm 1/0), seeded: for training from scratch and
  // for benchmarks of a shape. config.labels gives the class count (at least 1).
  static TorchClassifier Random(const checkpoint::ModelConfig& config, std::uint64_t seed);

  TorchClassifier(TorchClassifier&&) noexcept;
  TorchClassifier& operator=(TorchClassifier&&) noexcept;
  ~TorchClassifier();

  const checkpoint::ModelConfig& config() const;
  std::size_t num_labels() const;
  std::size_t parameter_count() const;

  // Inference (no autograd; dropout off: a loaded or trained classifier is kept in eval mode). Several threads
  // may call these at once on one classifier. Returns logits row-major [batch, num_labels].
  std::vector<float> Logits(const TokenBatch& batch) const;
  // The encoder's last hidden state, row-major [batch, sequence, hidden] (inference mode).
  std::vector<float> LastHiddenState(const TokenBatch& batch) const;

  // Writes config.json (with id2label/label2id and architectures) and model.safetensors (F32) into an
  // existing directory. Tokenizer files are the caller's (see CopyTokenizerFiles).
  void Save(const std::filesystem::path& dir) const;

  // The implementation object (torch modules); used by the trainer inside fastintent_train.
  struct Impl;
  Impl& impl() { return *impl_; }
  const Impl& impl() const { return *impl_; }

 private:
  explicit TorchClassifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// torch intra-op threads for this process (0 = leave torch's default). Also OpenBLAS's own thread count, when
// libtorch runs on OpenBLAS and OPENBLAS_NUM_THREADS is not set: left at its default (every core) it spins in
// sched_yield beside torch's threads (docs/training.md).
void SetTorchThreads(std::size_t threads);

// Copies the tokenizer files that exist in `tokenizer_dir` (tokenizer.json, vocab.txt, tokenizer_config.json,
// special_tokens_map.json) into `out_dir`. Throws InvalidInput when none of them is there.
void CopyTokenizerFiles(const std::filesystem::path& tokenizer_dir, const std::filesystem::path& out_dir);

}  // namespace fastintent::train
