#include "token_batches.h"

#include <algorithm>
#include <numeric>

#include "fastintent/common/error.h"
#include "fastintent/data/multi_label.h"

namespace fastintent::train {

std::vector<EncodedExample> EncodeTexts(const text::Tokenizer& tokenizer, const std::vector<std::string>& texts,
                                        std::size_t max_length, std::size_t threads, const text::ModelInput& input) {
  text::EncodeOptions options;
  options.max_length = max_length;
  options.truncation = true;
  options.padding = text::PaddingStrategy::kNone;
  const bool as_given = input.prefix().empty() && !input.normalizer();
  std::vector<std::string> formatted;
  if (!as_given) {
    formatted.reserve(texts.size());
    for (const auto& text : texts) formatted.push_back(input.Format(text));
  }
  auto encodings = tokenizer.EncodeBatch(as_given ? texts : formatted, options, threads);
  std::vector<EncodedExample> result(encodings.size());
  for (std::size_t i = 0; i < encodings.size(); ++i) {
    result[i].ids = std::move(encodings[i].ids);
    result[i].type_ids = std::move(encodings[i].type_ids);
    if (result[i].type_ids.size() != result[i].ids.size()) result[i].type_ids.assign(result[i].ids.size(), 0);
  }
  return result;
}

std::vector<EncodedExample> EncodeExamples(const text::Tokenizer& tokenizer, const std::vector<data::Example>& examples,
                                           const std::map<std::string, int>& label_ids, std::size_t max_length,
                                           std::size_t threads, const std::string& source,
                                           const text::ModelInput& input, std::optional<char> multi_label_separator) {
  std::vector<std::string> texts;
  texts.reserve(examples.size());
  for (const auto& example : examples) texts.push_back(example.text);
  auto encoded = EncodeTexts(tokenizer, texts, max_length, threads, input);
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const std::vector<std::string> names = multi_label_separator
                                               ? data::SplitLabels(examples[i].label, *multi_label_separator)
                                               : std::vector<std::string>{examples[i].label};
    for (const std::string& name : names) {
      auto found = label_ids.find(name);
      if (found == label_ids.end()) {
        throw InvalidInput(source + ": label \"" + name + "\" (example " + std::to_string(i + 1) +
                           ") does not occur in the training data");
      }
      encoded[i].label_set.push_back(found->second);
    }
    encoded[i].label = encoded[i].label_set.front();
  }
  return encoded;
}

std::vector<std::vector<std::size_t>> MakeBatches(const std::vector<EncodedExample>& examples, std::size_t batch_size,
                                                  std::mt19937_64* rng) {
  batch_size = std::max<std::size_t>(batch_size, 1);
  std::vector<std::size_t> order(examples.size());
  std::iota(order.begin(), order.end(), 0);
  auto by_length = [&](std::size_t a, std::size_t b) { return examples[a].ids.size() < examples[b].ids.size(); };
  if (rng) {
    std::shuffle(order.begin(), order.end(), *rng);
    const std::size_t window = batch_size * 50;
    for (std::size_t begin = 0; begin < order.size(); begin += window) {
      const auto end = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), begin + window));
      std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(begin), end, by_length);
    }
  } else {
    std::stable_sort(order.begin(), order.end(), by_length);
  }
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t begin = 0; begin < order.size(); begin += batch_size) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(begin);
    batches.emplace_back(first, first + static_cast<std::ptrdiff_t>(std::min(batch_size, order.size() - begin)));
  }
  if (rng) std::shuffle(batches.begin(), batches.end(), *rng);
  return batches;
}

TokenBatch PadBatch(const std::vector<EncodedExample>& examples, const std::vector<std::size_t>& indices,
                    std::int64_t pad_id) {
  TokenBatch batch;
  batch.batch = indices.size();
  for (std::size_t i : indices) batch.sequence = std::max(batch.sequence, examples[i].ids.size());
  const std::size_t n = batch.batch * batch.sequence;
  batch.ids.assign(n, pad_id);
  batch.attention_mask.assign(n, 0);
  batch.type_ids.assign(n, 0);
  for (std::size_t row = 0; row < indices.size(); ++row) {
    const auto& example = examples[indices[row]];
    for (std::size_t col = 0; col < example.ids.size(); ++col) {
      batch.ids[row * batch.sequence + col] = example.ids[col];
      batch.attention_mask[row * batch.sequence + col] = 1;
      batch.type_ids[row * batch.sequence + col] = example.type_ids[col];
    }
  }
  return batch;
}

}  // namespace fastintent::train
