#include "fastintent/bench/torch_runner.h"

#include <chrono>

#include "fastintent/common/error.h"
#include "fastintent/text/tokenizer.h"
#include "fastintent/train/torch_classifier.h"

namespace fastintent::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kRuntime = "libtorch-fp32";

class TorchRunner final : public Runner {
 public:
  TorchRunner(const std::filesystem::path& checkpoint, int threads)
      : checkpoint_(checkpoint),
        threads_(threads),
        classifier_(train::TorchClassifier::Load(checkpoint)),
        tokenizer_(text::Tokenizer::Load(checkpoint)) {}

  void Prepare(const CellInput& input, Timing timing) override {
    timing_ = timing;
    texts_ = input.texts;
    options_.max_length = input.max_length;
    options_.truncation = true;
    options_.padding =
        input.padding == Padding::kMaxLength ? text::PaddingStrategy::kMaxLength : text::PaddingStrategy::kLongest;
    staged_ =
        train::TokenBatch{input.batch, input.sequence, input.input_ids, input.attention_mask, input.token_type_ids};
  }

  std::vector<double> TimeCalls(std::size_t calls) override {
    std::vector<double> ms;
    for (std::size_t i = 0; i < calls; ++i) {
      const auto start = Clock::now();
      const auto logits = classifier_.Logits(timing_ == Timing::kEndToEnd ? Tokenize() : staged_);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (logits.size() != texts_.size() * classifier_.num_labels()) {
        throw Error("bench: libtorch returned " + std::to_string(logits.size()) + " logits for " +
                    std::to_string(texts_.size()) + " texts");
      }
    }
    return ms;
  }

  std::vector<std::vector<float>> Logits() override {
    const auto flat = classifier_.Logits(timing_ == Timing::kEndToEnd ? Tokenize() : staged_);
    const std::size_t labels = classifier_.num_labels();
    std::vector<std::vector<float>> rows;
    for (std::size_t i = 0; i + labels <= flat.size(); i += labels)
      rows.emplace_back(flat.begin() + i, flat.begin() + i + labels);
    return rows;
  }

  std::string Configuration() const override {
    return "fastintent's libtorch BERT (fastintent_train, inference mode), " + checkpoint_.string() +
           ", torch intra-op threads " + std::to_string(threads_);
  }

 private:
  train::TokenBatch Tokenize() const {
    const auto encodings = tokenizer_.EncodeBatch(texts_, options_);
    train::TokenBatch batch;
    batch.batch = encodings.size();
    batch.sequence = encodings.empty() ? 0 : encodings.front().length();
    for (const auto& e : encodings) {
      batch.ids.insert(batch.ids.end(), e.ids.begin(), e.ids.end());
      batch.attention_mask.insert(batch.attention_mask.end(), e.attention_mask.begin(), e.attention_mask.end());
      batch.type_ids.insert(batch.type_ids.end(), e.type_ids.begin(), e.type_ids.end());
    }
    return batch;
  }

  std::filesystem::path checkpoint_;
  int threads_;
  train::TorchClassifier classifier_;
  text::Tokenizer tokenizer_;
  text::EncodeOptions options_;
  Timing timing_ = Timing::kEndToEnd;
  std::vector<std::string> texts_;
  train::TokenBatch staged_;
};

}  // namespace

RunnerFactory MakeTorchRunnerFactory() {
  return [](const RunnerSpec& spec, std::string& skip_reason) -> std::unique_ptr<Runner> {
    if (spec.runtime != kRuntime) {
      throw InvalidInput("bench-torch: runtime '" + spec.runtime + "', expected " + kRuntime);
    }
    const auto name = spec.model_dir.filename();
    for (const auto& checkpoint : {spec.model_dir / "peers" / "checkpoint",
                                   spec.model_dir.parent_path() / "checkpoints" / name, spec.model_dir}) {
      if (!std::filesystem::exists(checkpoint / "model.safetensors")) continue;
      train::SetTorchThreads(static_cast<std::size_t>(spec.threads));
      return std::make_unique<TorchRunner>(checkpoint, spec.threads);
    }
    skip_reason = "no Hugging Face checkpoint (model.safetensors) for " + spec.model_dir.string();
    return nullptr;
  };
}

}  // namespace fastintent::bench
