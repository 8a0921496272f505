#include "onnx_classifier.h"

#include <algorithm>
#include <array>

#include "attention/attention_kernel.h"
#include "attention/attention_op.h"
#include "attention/attention_rewrite.h"
#include "batch_plan.h"
#include "content_hash.h"
#include "fastintent/common/error.h"
#include "ort_env.h"
#include "scoring.h"

namespace fastintent::runtime {
namespace {

constexpr std::size_t kDefaultMaxLength = 512;

GraphOptimizationLevel ToOrt(GraphOptimization level) {
  switch (level) {
    case GraphOptimization::kDisabled:
      return GraphOptimizationLevel::ORT_DISABLE_ALL;
    case GraphOptimization::kBasic:
      return GraphOptimizationLevel::ORT_ENABLE_BASIC;
    case GraphOptimization::kExtended:
      return GraphOptimizationLevel::ORT_ENABLE_EXTENDED;
    case GraphOptimization::kAll:
      return GraphOptimizationLevel::ORT_ENABLE_ALL;
  }
  return GraphOptimizationLevel::ORT_ENABLE_ALL;
}

Ort::SessionOptions MakeSessionOptions(const ClassifierOptions& options) {
  if (options.intra_op_threads < 0 || options.inter_op_threads < 0) {
    throw InvalidInput("classifier options: got intra_op_threads " + std::to_string(options.intra_op_threads) +
                       ", inter_op_threads " + std::to_string(options.inter_op_threads) +
                       ", expected 0 (ONNX Runtime's default) or more");
  }
  Ort::SessionOptions session_options;
  session_options.SetIntraOpNumThreads(options.intra_op_threads);
  session_options.SetInterOpNumThreads(options.inter_op_threads);
  session_options.SetGraphOptimizationLevel(ToOrt(options.optimization));
  if (options.enable_cpu_arena) {
    session_options.EnableCpuMemArena();
  } else {
    session_options.DisableCpuMemArena();
  }
  return session_options;
}

// The token limit: an explicit option, else the tokenizer files' limit, else the position table; never
// more than the position table (longer inputs would index past it).
std::size_t ResolveMaxLength(const ClassifierOptions& options, const checkpoint::ModelDirectory& model,
                             const text::Tokenizer& tokenizer) {
  const std::size_t positions = model.max_position_embeddings.value_or(kDefaultMaxLength);
  if (options.max_length) {
    if (*options.max_length < 2 || *options.max_length > positions) {
      throw InvalidInput("max_length: got " + std::to_string(*options.max_length) + ", expected 2.." +
                         std::to_string(positions) + " (max_position_embeddings of " + model.config_file().string() +
                         ")");
    }
    return *options.max_length;
  }
  return std::min(tokenizer.saved_max_length().value_or(positions), positions);
}

// The .onnx file to load: options.model_file (a relative name is looked up inside the directory first, then
// as given), else model_quantized.onnx or model.onnx. Throws IoError when it is not there.
std::filesystem::path ResolveModelFile(const checkpoint::ModelDirectory& model, const ClassifierOptions& options) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path file;
  if (options.model_file) {
    const fs::path inside = model.dir / *options.model_file;
    file = !options.model_file->is_absolute() && fs::exists(inside, error) ? inside : *options.model_file;
  } else {
    file = model.dir / (options.quantized ? "model_quantized.onnx" : "model.onnx");
  }
  if (!fs::is_regular_file(file, error)) {
    throw IoError(file.string() + ": missing" +
                  (options.quantized && !options.model_file
                       ? std::string("; quantize the model first (model_quantized.onnx) or drop --quantized")
                       : std::string("; expected an ONNX model file")));
  }
  return file;
}

}  // namespace

OnnxClassifier::OnnxClassifier(const checkpoint::ModelDirectory& model, const ClassifierOptions& options)
    : tokenizer_(text::Tokenizer::Load(model.dir)),
      input_(text::ModelInput::ForModel(model.dir, model.input_prefix)),
      options_(options) {
  const std::filesystem::path model_file = ResolveModelFile(model, options);
  const std::string file = model_file.string();
  try {
    Ort::SessionOptions session_options = MakeSessionOptions(options);
    attention::RewrittenModel rewritten;
    if (options.native_attention) rewritten = attention::RewriteModelFile(model_file);
    if (rewritten.cores > 0) {
      attention::RegisterAttentionOp(session_options);
      session_options.AddExternalInitializers(rewritten.initializer_names, rewritten.initializers);
      session_ = std::make_unique<Ort::Session>(ProcessOrtEnv(), rewritten.bytes.data(), rewritten.bytes.size(),
                                                session_options);
      info_.native_attention_cores = rewritten.cores;
      info_.native_attention_isa = attention::AttentionIsa();
    } else {
      session_ = std::make_unique<Ort::Session>(ProcessOrtEnv(), model_file.c_str(), session_options);
    }
  } catch (const Ort::Exception& e) {
    throw InvalidInput(file + ": ONNX Runtime cannot load it: " + e.what());
  }
  signature_ = ReadGraphSignature(*session_, file);
  if (signature_.output_width && static_cast<std::size_t>(*signature_.output_width) != model.labels.size()) {
    throw InvalidInput(file + ": output '" + signature_.output_name + "' has " +
                       std::to_string(*signature_.output_width) + " logits per text, but config.json id2label has " +
                       std::to_string(model.labels.size()) + " labels");
  }
  if (options.pad_to_max_length && !signature_.has_attention_mask) {
    throw InvalidInput(file + ": pad_to_max_length needs an attention_mask input, got inputs (" +
                       signature_.DescribeInputs() + "); padding without a mask would change the results");
  }
  pad_id_ = tokenizer_.pad_id();
  info_.name = model.name;
  info_.labels = model.labels;
  info_.max_length = ResolveMaxLength(options, model, tokenizer_);
  info_.quantized = options.quantized;
  info_.version = FileContentHash(model_file);
  info_.model_file = model_file;
  scoring_ = ScoringOf(model, options, info_);
  info_.input_prefix = model.input_prefix;
  info_.text_normalizer = input_.normalizer() != nullptr;
  for (const auto& input : signature_.inputs) info_.input_names.push_back(input.name);
  info_.output_name = signature_.output_name;
  // Probe run: RunOnce checks the logits width that a graph may leave symbolic; also warms the session up.
  PreparedText probe = Prepare("");
  if (probe.ids.empty()) probe.ids.push_back(pad_id_);  // a tokenizer without special tokens
  RunOnce({&probe});
}

PreparedText OnnxClassifier::Prepare(std::string_view text) const {
  text::EncodeOptions encode;
  encode.max_length = info_.max_length;
  encode.truncation = true;
  encode.padding = text::PaddingStrategy::kNone;
  text::Encoding encoding = tokenizer_.Encode(input_.Format(text), encode);
  return PreparedText{std::move(encoding.ids), std::move(encoding.type_ids), encoding.truncated, {}};
}

PreparedText OnnxClassifier::PreparePair(std::string_view first, std::string_view second) const {
  text::EncodeOptions encode;
  encode.max_length = info_.max_length;
  encode.truncation = true;
  encode.padding = text::PaddingStrategy::kNone;
  text::Encoding encoding = tokenizer_.EncodePair(input_.Format(first), input_.Normalize(second), encode);
  return PreparedText{std::move(encoding.ids), std::move(encoding.type_ids), encoding.truncated, {}};
}

std::vector<PreparedText> OnnxClassifier::PrepareAll(const std::vector<std::string>& texts) const {
  std::vector<PreparedText> prepared;
  prepared.reserve(texts.size());
  for (const auto& text : texts) prepared.push_back(Prepare(text));
  return prepared;
}

std::vector<Prediction> OnnxClassifier::Classify(const std::vector<std::string>& texts, std::size_t top_k) const {
  const auto tokenized = PrepareAll(texts);
  const auto logits = LogitsOf(tokenized, options_.max_batch_size);
  std::vector<Prediction> predictions;
  predictions.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    predictions.push_back(MakePrediction(logits[i], info_.labels, top_k, tokenized[i].truncated, scoring_));
  }
  return predictions;
}

std::vector<Prediction> OnnxClassifier::ClassifyPrepared(const std::vector<PreparedText>& batch,
                                                         std::size_t top_k) const {
  const auto logits = LogitsOf(batch, batch.size());
  std::vector<Prediction> predictions;
  predictions.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    predictions.push_back(MakePrediction(logits[i], info_.labels, top_k, batch[i].truncated, scoring_));
  }
  return predictions;
}

std::vector<std::vector<float>> OnnxClassifier::Logits(const std::vector<std::string>& texts) const {
  return LogitsOf(PrepareAll(texts), options_.max_batch_size);
}

std::vector<std::vector<float>> OnnxClassifier::LogitsPrepared(const std::vector<PreparedText>& batch) const {
  return LogitsOf(batch, batch.size());
}

void OnnxClassifier::Validate(const PreparedText& text) const {
  if (text.ids.empty()) throw InvalidInput("classify: got a text with no token ids, expected at least one");
  if (text.ids.size() > info_.max_length) {
    throw InvalidInput("classify: got " + std::to_string(text.ids.size()) + " token ids, expected at most " +
                       std::to_string(info_.max_length) + " (max_length of model '" + info_.name + "')");
  }
  if (!text.type_ids.empty() && text.type_ids.size() != text.ids.size()) {
    throw InvalidInput("classify: got " + std::to_string(text.type_ids.size()) + " type ids for " +
                       std::to_string(text.ids.size()) + " token ids, expected as many (or none)");
  }
}

std::vector<std::vector<float>> OnnxClassifier::LogitsOf(const std::vector<PreparedText>& texts,
                                                         std::size_t max_batch_size) const {
  std::vector<std::size_t> lengths;
  lengths.reserve(texts.size());
  for (const auto& text : texts) {
    Validate(text);
    lengths.push_back(text.ids.size());
  }
  std::vector<std::vector<float>> logits(texts.size());
  for (const auto& batch : PlanBatches(lengths, max_batch_size, !signature_.has_attention_mask)) {
    std::vector<const PreparedText*> items;
    items.reserve(batch.size());
    for (std::size_t index : batch) items.push_back(&texts[index]);
    auto rows = RunOnce(items);
    for (std::size_t i = 0; i < batch.size(); ++i) logits[batch[i]] = std::move(rows[i]);
  }
  return logits;
}

std::vector<std::vector<float>> OnnxClassifier::RunOnce(const std::vector<const PreparedText*>& items) const {
  std::size_t sequence = 0;
  for (const auto* item : items) sequence = std::max(sequence, item->ids.size());
  if (options_.pad_to_max_length) sequence = info_.max_length;
  const std::size_t batch = items.size();
  const std::array<std::int64_t, 2> shape{static_cast<std::int64_t>(batch), static_cast<std::int64_t>(sequence)};

  // Per-call buffers (thread safety): one int64 matrix per graph input, converted to int32 if asked.
  const std::size_t inputs = signature_.inputs.size();
  std::vector<std::vector<std::int64_t>> wide(inputs, std::vector<std::int64_t>(batch * sequence, 0));
  std::vector<std::vector<std::int32_t>> narrow(inputs);
  std::vector<Ort::Value> values;
  std::vector<const char*> names;
  values.reserve(inputs);
  const auto memory = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  for (std::size_t k = 0; k < inputs; ++k) {
    const GraphInput& input = signature_.inputs[k];
    auto& matrix = wide[k];
    for (std::size_t row = 0; row < batch; ++row) {
      const PreparedText& text = *items[row];
      std::int64_t* out = matrix.data() + row * sequence;
      for (std::size_t col = 0; col < sequence; ++col) {
        const bool real = col < text.ids.size();
        switch (input.role) {
          case InputRole::kInputIds:
            out[col] = real ? text.ids[col] : pad_id_;
            break;
          case InputRole::kAttentionMask:
            out[col] = real ? 1 : 0;
            break;
          case InputRole::kTokenTypeIds:
            out[col] = real && !text.type_ids.empty() ? text.type_ids[col] : 0;
            break;
        }
      }
    }
    if (input.int32) {
      narrow[k].assign(matrix.begin(), matrix.end());
      values.push_back(Ort::Value::CreateTensor<std::int32_t>(memory, narrow[k].data(), narrow[k].size(), shape.data(),
                                                              shape.size()));
    } else {
      values.push_back(
          Ort::Value::CreateTensor<std::int64_t>(memory, matrix.data(), matrix.size(), shape.data(), shape.size()));
    }
    names.push_back(input.name.c_str());
  }

  const char* output_name = signature_.output_name.c_str();
  std::vector<Ort::Value> outputs;
  try {
    outputs = session_->Run(Ort::RunOptions{nullptr}, names.data(), values.data(), values.size(), &output_name, 1);
  } catch (const Ort::Exception& e) {
    throw Error(info_.model_file.string() + ": inference failed: " + e.what());
  }
  const auto out_shape = outputs.front().GetTensorTypeAndShapeInfo().GetShape();
  const std::size_t labels = info_.labels.size();
  if (out_shape.size() != 2 || out_shape[0] != static_cast<std::int64_t>(batch) ||
      out_shape[1] != static_cast<std::int64_t>(labels)) {
    std::string got = "[";
    for (std::size_t i = 0; i < out_shape.size(); ++i) got += (i ? ", " : "") + std::to_string(out_shape[i]);
    throw InvalidInput(info_.model_file.string() + ": output '" + signature_.output_name + "': got shape " + got +
                       "], expected [" + std::to_string(batch) + ", " + std::to_string(labels) +
                       "] (texts, labels in config.json id2label)");
  }
  const float* data = outputs.front().GetTensorData<float>();
  const auto width = static_cast<std::size_t>(out_shape[1]);
  std::vector<std::vector<float>> rows(batch);
  for (std::size_t row = 0; row < batch; ++row) rows[row].assign(data + row * width, data + (row + 1) * width);
  return rows;
}

}  // namespace fastintent::runtime
