// The ONNX Runtime rows: fastintent's own engine (runtime::Classifier), tokenization included in the call.
#include <filesystem>

#include "fastintent/bench/study.h"
#include "fastintent/common/error.h"
#include "fastintent/runtime/classifier.h"
#include "fastintent/text/tokenizer.h"

namespace fastintent::bench {
namespace {

constexpr const char* kReferenceInt8File = "model_quantized_reference.onnx";

class OrtRunner final : public Runner {
 public:
  OrtRunner(std::shared_ptr<const runtime::Classifier> classifier, const RunnerSpec& spec)
      : classifier_(std::move(classifier)), tokenizer_(text::Tokenizer::Load(spec.model_dir)) {
    options_.max_length = spec.max_length;
    options_.truncation = true;
    options_.padding =
        spec.padding == Padding::kMaxLength ? text::PaddingStrategy::kMaxLength : text::PaddingStrategy::kLongest;
  }

  void TokenizeAndInfer(const std::vector<std::string>& texts) override {
    const auto logits = classifier_->Logits(texts);
    if (logits.size() != texts.size()) {
      throw Error("bench: the engine returned " + std::to_string(logits.size()) + " rows for " +
                  std::to_string(texts.size()) + " texts");
    }
  }

  void TokenizeOnly(const std::vector<std::string>& texts) override {
    const auto encodings = tokenizer_.EncodeBatch(texts, options_);
    if (encodings.size() != texts.size()) throw Error("bench: the tokenizer lost texts");
  }

  std::size_t SequenceLength(const std::vector<std::string>& texts) override {
    const auto encodings = tokenizer_.EncodeBatch(texts, options_);
    return encodings.empty() ? 0 : encodings.front().length();
  }

 private:
  std::shared_ptr<const runtime::Classifier> classifier_;
  text::Tokenizer tokenizer_;  // the directory's tokenizer, for the tokenization-only timing
  text::EncodeOptions options_;
};

}  // namespace

RunnerFactory MakeOrtRunnerFactory() {
  return [](const RunnerSpec& spec, std::string& skip_reason) -> std::unique_ptr<Runner> {
    runtime::ClassifierOptions options;
    options.intra_op_threads = spec.threads;
    options.inter_op_threads = 1;
    options.optimization = runtime::GraphOptimization::kAll;  // the article's ORT_ENABLE_ALL
    options.max_length = spec.max_length;
    options.pad_to_max_length = spec.padding == Padding::kMaxLength;
    std::filesystem::path file;
    if (spec.runtime == "ort-fp32") {
      file = spec.model_dir / "model.onnx";
    } else if (spec.runtime == "ort-int8") {
      options.quantized = true;
      file = spec.model_dir / "model_quantized.onnx";
    } else if (spec.runtime == "ort-int8-reference") {
      file = spec.model_dir / kReferenceInt8File;
      options.model_file = file;
    } else {
      throw InvalidInput("bench: runtime '" + spec.runtime +
                         "' is not one of ort-fp32, ort-int8, ort-int8-reference (PyTorch and Python rows are "
                         "imported with --import-csv)");
    }
    if (!std::filesystem::exists(file)) {
      skip_reason = "no " + file.string() +
                    (spec.runtime == "ort-int8-reference" ? " (make it with tools/bench/make_reference_int8.py)"
                                                          : " (make it with tools/bench/prepare_models.sh)");
      return nullptr;
    }
    return std::make_unique<OrtRunner>(runtime::Classifier::Load(spec.model_dir, options), spec);
  };
}

}  // namespace fastintent::bench
