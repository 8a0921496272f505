#pragma once
// What a model does to a text before its tokenizer or n-gram features, in one place for training, eval, predict and
// serve: the keyboard-layout normalizer when the model directory has text_normalizer.json (layout_normalizer.h),
// then the model's input prefix ("query: " for e5). A pair's second text is normalized but gets no prefix.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "fastintent/text/layout_normalizer.h"

namespace fastintent::text {

class ModelInput {
 public:
  ModelInput() = default;  // texts as they are
  ModelInput(std::shared_ptr<const LayoutNormalizer> normalizer, std::string prefix)
      : normalizer_(std::move(normalizer)), prefix_(std::move(prefix)) {}

  // The normalizer of `model_dir`/text_normalizer.json when that file exists (its errors propagate), and `prefix`.
  static ModelInput ForModel(const std::filesystem::path& model_dir, std::string prefix);

  std::string Normalize(std::string_view text) const {
    return normalizer_ ? normalizer_->Normalize(text) : std::string(text);
  }
  std::string Format(std::string_view text) const { return prefix_ + Normalize(text); }

  const std::shared_ptr<const LayoutNormalizer>& normalizer() const { return normalizer_; }
  const std::string& prefix() const { return prefix_; }

 private:
  std::shared_ptr<const LayoutNormalizer> normalizer_;
  std::string prefix_;
};

// Stores a normalizer table in a model directory as text_normalizer.json (IoError when it cannot be copied).
void StoreLayoutNormalizer(const std::filesystem::path& table, const std::filesystem::path& model_dir);

// Loads a table file into a shareable normalizer (LayoutNormalizer::FromFile's errors).
std::shared_ptr<const LayoutNormalizer> LoadLayoutNormalizer(const std::filesystem::path& file);

}  // namespace fastintent::text
