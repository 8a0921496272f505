#include "fastintent/bench/torch_runner.h"

#include "fastintent/common/error.h"
#include "fastintent/text/tokenizer.h"
#include "fastintent/train/torch_classifier.h"

namespace fastintent::bench {
namespace {

class TorchRunner final : public Runner {
 public:
  TorchRunner(const std::filesystem::path& checkpoint, const RunnerSpec& spec)
      : classifier_(train::TorchClassifier::Load(checkpoint)), tokenizer_(text::Tokenizer::Load(checkpoint)) {
    options_.max_length = spec.max_length;
    options_.truncation = true;
    options_.padding =
        spec.padding == Padding::kMaxLength ? text::PaddingStrategy::kMaxLength : text::PaddingStrategy::kLongest;
  }

  void TokenizeAndInfer(const std::vector<std::string>& texts) override {
    const auto encodings = tokenizer_.EncodeBatch(texts, options_);
    train::TokenBatch batch;
    batch.batch = encodings.size();
    batch.sequence = encodings.empty() ? 0 : encodings.front().length();
    for (const auto& e : encodings) {
      batch.ids.insert(batch.ids.end(), e.ids.begin(), e.ids.end());
      batch.attention_mask.insert(batch.attention_mask.end(), e.attention_mask.begin(), e.attention_mask.end());
      batch.type_ids.insert(batch.type_ids.end(), e.type_ids.begin(), e.type_ids.end());
    }
    const auto logits = classifier_.Logits(batch);
    if (logits.size() != texts.size() * classifier_.num_labels()) {
      throw Error("bench: libtorch returned " + std::to_string(logits.size()) + " logits for " +
                  std::to_string(texts.size()) + " texts");
    }
  }

  void TokenizeOnly(const std::vector<std::string>& texts) override { (void)tokenizer_.EncodeBatch(texts, options_); }

  std::size_t SequenceLength(const std::vector<std::string>& texts) override {
    const auto encodings = tokenizer_.EncodeBatch(texts, options_);
    return encodings.empty() ? 0 : encodings.front().length();
  }

 private:
  train::TorchClassifier classifier_;
  text::Tokenizer tokenizer_;
  text::EncodeOptions options_;
};

}  // namespace

RunnerFactory MakeTorchRunnerFactory() {
  return [](const RunnerSpec& spec, std::string& skip_reason) -> std::unique_ptr<Runner> {
    if (spec.runtime != "pytorch") {
      skip_reason = "runtime '" + spec.runtime + "' is timed by `fastintent bench run`, not bench-torch";
      return nullptr;
    }
    const auto name = spec.model_dir.filename();
    std::filesystem::path checkpoint = spec.model_dir.parent_path() / "checkpoints" / name;
    if (!std::filesystem::exists(checkpoint / "model.safetensors")) checkpoint = spec.model_dir;
    if (!std::filesystem::exists(checkpoint / "model.safetensors")) {
      skip_reason = "no Hugging Face checkpoint (model.safetensors) in " +
                    (spec.model_dir.parent_path() / "checkpoints" / name).string() + " or " + spec.model_dir.string();
      return nullptr;
    }
    train::SetTorchThreads(static_cast<std::size_t>(spec.threads));
    return std::make_unique<TorchRunner>(checkpoint, spec);
  };
}

}  // namespace fastintent::bench
