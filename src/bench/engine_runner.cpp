// fastintent's engine as a study runtime: runtime::Classifier, as the service and `predict` run it.
#include <onnxruntime_cxx_api.h>

#include <chrono>
#include <map>

#include "fastintent/bench/runners.h"
#include "fastintent/common/error.h"
#include "fastintent/runtime/classifier.h"

namespace fastintent::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kEnginePrefix = "fastintent:";
// fastintent-fp32 / -int8 with the attention cores left to ONNX Runtime's ops (ClassifierOptions::native_attention
// false): the side-by-side measure of what the native kernel gives.
constexpr const char* kOrtAttentionFp32 = "fastintent-fp32-ort-attention";
constexpr const char* kOrtAttentionInt8 = "fastintent-int8-ort-attention";
constexpr const char* kNgramRuntime = "fastintent-ngram";
// Far above any study batch: a batch is one model call, as in every other runtime.
constexpr std::size_t kNoBatchSplit = std::size_t{1} << 20;

class EngineRunner final : public Runner {
 public:
  EngineRunner(const RunnerSpec& spec, std::filesystem::path file, bool quantized, bool native_attention)
      : spec_(spec), file_(std::move(file)), quantized_(quantized), native_attention_(native_attention) {
    // Load once up front so a broken model fails before the study starts.
    const runtime::ModelInfo& info = Session(0, false)->info();
    attention_ = info.native_attention_cores > 0 ? "native attention kernel (" +
                                                       std::to_string(info.native_attention_cores) + " cores, " +
                                                       info.native_attention_isa + ")"
                                                 : "attention in ONNX Runtime's ops";
  }

  void Prepare(const CellInput& input, Timing timing) override {
    timing_ = timing;
    texts_ = input.texts;
    classifier_ = Session(input.max_length, input.padding == Padding::kMaxLength);
    prepared_.clear();
    for (const auto& text : texts_) prepared_.push_back(classifier_->Prepare(text));  // model-only: outside the call
  }

  std::vector<double> TimeCalls(std::size_t calls) override {
    std::vector<double> ms;
    ms.reserve(calls);
    for (std::size_t i = 0; i < calls; ++i) {
      const auto start = Clock::now();
      const auto logits =
          timing_ == Timing::kEndToEnd ? classifier_->Logits(texts_) : classifier_->LogitsPrepared(prepared_);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (logits.size() != texts_.size()) {
        throw Error("bench: the engine returned " + std::to_string(logits.size()) + " rows for " +
                    std::to_string(texts_.size()) + " texts");
      }
    }
    return ms;
  }

  std::vector<std::vector<float>> Logits() override {
    return timing_ == Timing::kEndToEnd ? classifier_->Logits(texts_) : classifier_->LogitsPrepared(prepared_);
  }

  std::string Configuration() const override {
    if (file_.empty()) return "fastintent n-gram engine (TF-IDF word 1-2 + char 1-5 grams, logistic regression)";
    return std::string("fastintent engine (ONNX Runtime ") + OrtGetApiBase()->GetVersionString() + " C++ API), " +
           file_.filename().string() + ", intra-op threads " + std::to_string(spec_.threads) +
           ", ORT_ENABLE_ALL, CPU arena, one session per truncation length, batches never split, " + attention_;
  }

 private:
  // One session per (truncation length, pad to it): the Classifier's token limit is a load-time option.
  std::shared_ptr<const runtime::Classifier> Session(std::size_t max_length, bool pad) {
    auto& slot = sessions_[{max_length, pad}];
    if (!slot) {
      runtime::ClassifierOptions options;
      options.intra_op_threads = spec_.threads;
      options.inter_op_threads = 1;
      options.optimization = runtime::GraphOptimization::kAll;
      options.quantized = quantized_;
      if (!file_.empty()) options.model_file = file_;
      if (max_length != 0) options.max_length = max_length;
      options.pad_to_max_length = pad;
      options.max_batch_size = kNoBatchSplit;
      options.native_attention = native_attention_;
      slot = runtime::Classifier::Load(spec_.model_dir, options);
    }
    return slot;
  }

  RunnerSpec spec_;
  std::filesystem::path file_;
  bool quantized_;
  bool native_attention_;
  std::string attention_;  // how the attention cores run, for Configuration()
  std::map<std::pair<std::size_t, bool>, std::shared_ptr<const runtime::Classifier>> sessions_;
  std::shared_ptr<const runtime::Classifier> classifier_;
  Timing timing_ = Timing::kEndToEnd;
  std::vector<std::string> texts_;
  std::vector<runtime::PreparedText> prepared_;
};

}  // namespace

bool IsEngineRuntime(const std::string& runtime) {
  return runtime == "fastintent-fp32" || runtime == "fastintent-int8" || runtime == kOrtAttentionFp32 ||
         runtime == kOrtAttentionInt8 || runtime == kNgramRuntime ||
         runtime.rfind(kEnginePrefix, 0) == 0;
}

RunnerFactory MakeEngineRunnerFactory() {
  return [](const RunnerSpec& spec, std::string& skip_reason) -> std::unique_ptr<Runner> {
    if (!IsEngineRuntime(spec.runtime)) {
      throw InvalidInput("bench: runtime '" + spec.runtime +
                         "' is not fastintent's engine (fastintent-fp32, fastintent-int8, fastintent-fp32-ort-attention, "
                         "fastintent-int8-ort-attention, fastintent-ngram, fastintent:FILE)");
    }
    if (spec.runtime == kNgramRuntime) {
      if (!std::filesystem::is_regular_file(spec.model_dir / "weights.bin")) {
        skip_reason = "no n-gram model (weights.bin) in " + spec.model_dir.string();
        return nullptr;
      }
      return std::make_unique<EngineRunner>(spec, std::filesystem::path(), false, false);
    }
    const bool quantized = spec.runtime == "fastintent-int8" || spec.runtime == kOrtAttentionInt8;
    const bool native_attention = spec.runtime != kOrtAttentionFp32 && spec.runtime != kOrtAttentionInt8;
    std::filesystem::path file;
    if (spec.runtime.rfind(kEnginePrefix, 0) == 0) {
      file = spec.model_dir / spec.runtime.substr(std::string(kEnginePrefix).size());
    } else {
      file = spec.model_dir / (quantized ? "model_quantized.onnx" : "model.onnx");
    }
    if (!std::filesystem::is_regular_file(file)) {
      skip_reason = "no " + file.string();
      return nullptr;
    }
    return std::make_unique<EngineRunner>(spec, file, quantized, native_attention);
  };
}

}  // namespace fastintent::bench
