#pragma once
// Tokenized examples and length-bucketed, padded batches (torch-free).
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fastintent/data/dataset.h"
#include "fastintent/text/model_input.h"
#include "fastintent/text/tokenizer.h"
#include "fastintent/train/torch_classifier.h"

namespace fastintent::train {

struct EncodedExample {
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> type_ids;
  int label = -1;              // class id; -1 when unlabelled
  std::vector<int> label_set;  // multi-label: every class id of the example
  std::vector<float> teacher;  // a teacher's logits in class-id order (distillation); empty when none
};

// Tokenizes each text as the model reads it (input.Format: the layout normalizer, then the input prefix), truncated
// to max_length tokens (special tokens included), no padding.
std::vector<EncodedExample> EncodeTexts(const text::Tokenizer& tokenizer, const std::vector<std::string>& texts,
                                        std::size_t max_length, std::size_t threads,
                                        const text::ModelInput& input = {});

// As EncodeTexts, with each label mapped to its class id. Throws InvalidInput naming `source` for a label
// that is not in `label_ids` (e.g. a validation label never seen in training).
// With a `multi_label_separator`, the label field names several labels ("a|b"): all go into label_set.
std::vector<EncodedExample> EncodeExamples(const text::Tokenizer& tokenizer, const std::vector<data::Example>& examples,
                                           const std::map<std::string, int>& label_ids, std::size_t max_length,
                                           std::size_t threads, const std::string& source,
                                           const text::ModelInput& input = {},
                                           std::optional<char> multi_label_separator = std::nullopt);

// Batches of example indices. With `rng`: shuffled, then sorted by length inside windows of 50 batches (less
// padding, still random), and the batch order shuffled. Without: in length order (evaluation).
std::vector<std::vector<std::size_t>> MakeBatches(const std::vector<EncodedExample>& examples, std::size_t batch_size,
                                                  std::mt19937_64* rng);

// Pads the chosen examples to the longest of them with `pad_id` (mask 0).
TokenBatch PadBatch(const std::vector<EncodedExample>& examples, const std::vector<std::size_t>& indices,
                    std::int64_t pad_id);

}  // namespace fastintent::train
