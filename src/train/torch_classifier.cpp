#include "fastintent/train/torch_classifier.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <set>

#include "fastintent/common/error.h"
#include "torch_classifier_impl.h"

namespace fastintent::train {
namespace {

namespace fs = std::filesystem;
using checkpoint::Architecture;
using checkpoint::ModelConfig;

constexpr double kInitializerRange = 0.02;  // transformers' initializer_range default

std::string ShapeText(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

void ValidateConfig(const ModelConfig& c, const std::string& where) {
  auto positive = [&](std::size_t value, const char* name) {
    if (value == 0) throw InvalidInput(where + ": " + name + " got 0, expected a positive value");
  };
  positive(c.hidden_size, "hidden_size");
  positive(c.num_layers, "num_layers");
  positive(c.num_heads, "num_heads");
  positive(c.intermediate_size, "intermediate_size");
  positive(c.vocab_size, "vocab_size");
  positive(c.max_position_embeddings, "max_position_embeddings");
  if (c.hidden_size % c.num_heads != 0) {
    throw InvalidInput(where + ": hidden_size " + std::to_string(c.hidden_size) + " is not a multiple of num_heads " +
                       std::to_string(c.num_heads));
  }
  if (c.pad_token_id >= c.vocab_size) {
    throw InvalidInput(where + ": pad_token_id " + std::to_string(c.pad_token_id) + " is outside vocab_size " +
                       std::to_string(c.vocab_size));
  }
}

// transformers names unlabelled classes LABEL_0, LABEL_1, ... (num_labels defaults to 2).
std::vector<std::string> DefaultLabels(std::size_t count) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < count; ++i) labels.push_back("LABEL_" + std::to_string(i));
  return labels;
}

std::unique_ptr<TorchClassifier::Impl> Build(ModelConfig config, std::uint64_t seed, const std::string& where) {
  ValidateConfig(config, where);
  if (config.labels.empty()) config.labels = DefaultLabels(2);
  torch::manual_seed(seed);
  auto impl = std::make_unique<TorchClassifier::Impl>();
  impl->module = config.architecture == Architecture::kBert ? MakeBertClassifier(config, config.labels.size())
                                                            : MakeDistilBertClassifier(config, config.labels.size());
  InitialiseLikeTransformers(*impl->module, kInitializerRange);
  impl->module->eval();
  impl->config = std::move(config);
  return impl;
}

torch::Tensor ToTorch(const checkpoint::Tensor& tensor) {
  auto result = torch::empty(tensor.shape, torch::kFloat);
  std::memcpy(result.data_ptr<float>(), tensor.data.data(), tensor.data.size() * sizeof(float));
  return result;
}

std::vector<float> ToVector(const torch::Tensor& tensor) {
  auto t = tensor.to(torch::kFloat).contiguous();
  return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

// Only the encoder layers in `keep` (ascending), renamed to 0..n-1; config.num_layers follows.
checkpoint::TensorMap KeepLayers(checkpoint::TensorMap tensors, ModelConfig& config,
                                 const std::vector<std::size_t>& keep, const std::string& where) {
  for (std::size_t i = 0; i < keep.size(); ++i) {
    if (keep[i] >= config.num_layers || (i > 0 && keep[i] <= keep[i - 1])) {
      throw InvalidInput("--keep-layers: got layer " + std::to_string(keep[i]) + ", expected ascending indices below " +
                         std::to_string(config.num_layers) + " (the layers of " + where + ")");
    }
  }
  const std::string prefix =
      config.architecture == Architecture::kBert ? "bert.encoder.layer." : "distilbert.transformer.layer.";
  checkpoint::TensorMap kept;
  for (auto& [name, tensor] : tensors) {
    if (name.rfind(prefix, 0) != 0) {
      kept.emplace(name, std::move(tensor));
      continue;
    }
    const std::size_t dot = name.find('.', prefix.size());
    const std::size_t layer = std::stoul(name.substr(prefix.size(), dot - prefix.size()));
    const auto position = std::find(keep.begin(), keep.end(), layer);
    if (position == keep.end()) continue;
    kept.emplace(prefix + std::to_string(position - keep.begin()) + name.substr(dot), std::move(tensor));
  }
  config.num_layers = keep.size();
  return kept;
}

}  // namespace

EncoderInputs ToEncoderInputs(const TokenBatch& batch) {
  const std::size_t n = batch.batch * batch.sequence;
  if (batch.ids.size() != n || batch.attention_mask.size() != n ||
      (!batch.type_ids.empty() && batch.type_ids.size() != n)) {
    throw InvalidInput("token batch: got " + std::to_string(batch.ids.size()) + " ids, " +
                       std::to_string(batch.attention_mask.size()) + " mask values and " +
                       std::to_string(batch.type_ids.size()) + " type ids, expected " + std::to_string(n) +
                       " each (batch " + std::to_string(batch.batch) + " x sequence " + std::to_string(batch.sequence) +
                       ")");
  }
  const std::vector<std::int64_t> shape{static_cast<std::int64_t>(batch.batch),
                                        static_cast<std::int64_t>(batch.sequence)};
  auto make = [&](const std::vector<std::int64_t>& values) {
    auto t = torch::empty(shape, torch::kLong);
    if (n) std::memcpy(t.data_ptr<std::int64_t>(), values.data(), n * sizeof(std::int64_t));
    return t;
  };
  EncoderInputs inputs;
  inputs.ids = make(batch.ids);
  inputs.attention_mask = make(batch.attention_mask);
  inputs.type_ids = batch.type_ids.empty() ? torch::zeros(shape, torch::kLong) : make(batch.type_ids);
  return inputs;
}

checkpoint::TensorMap ParametersToTensorMap(torch::nn::Module& module) {
  checkpoint::TensorMap tensors;
  for (const auto& item : module.named_parameters(/*recurse=*/true)) {
    checkpoint::Tensor tensor;
    tensor.shape = item.value().sizes().vec();
    tensor.data = ToVector(item.value().detach());
    tensors.emplace(item.key(), std::move(tensor));
  }
  return tensors;
}

TorchClassifier::TorchClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TorchClassifier::TorchClassifier(TorchClassifier&&) noexcept = default;
TorchClassifier& TorchClassifier::operator=(TorchClassifier&&) noexcept = default;
TorchClassifier::~TorchClassifier() = default;

TorchClassifier TorchClassifier::Random(const ModelConfig& config, std::uint64_t seed) {
  return TorchClassifier(Build(config, seed, "model shape"));
}

TorchClassifier TorchClassifier::Load(const fs::path& checkpoint_dir, const std::vector<std::string>& labels,
                                      std::uint64_t seed, std::optional<checkpoint::Pooling> pooling,
                                      const std::vector<std::size_t>& keep_layers) {
  if (!fs::is_directory(checkpoint_dir)) {
    throw InvalidInput("checkpoint directory " + checkpoint_dir.string() + " does not exist");
  }
  ModelConfig config = checkpoint::ReadModelConfig(checkpoint_dir / "config.json");
  const fs::path weights_file = checkpoint_dir / "model.safetensors";
  auto tensors = checkpoint::CanonicalWeights(checkpoint::ReadSafetensors(weights_file), config.architecture);
  if (!keep_layers.empty()) tensors = KeepLayers(std::move(tensors), config, keep_layers, weights_file.string());
  const bool has_pooler = tensors.count("bert.pooler.dense.weight") > 0;
  const checkpoint::Pooling stored_pooling =
      config.pooling.value_or(config.architecture == Architecture::kBert && !has_pooler ? checkpoint::Pooling::kMean
                                                                                        : checkpoint::Pooling::kCls);
  const std::vector<std::string> stored_labels = config.labels;
  if (!labels.empty()) config.labels = labels;
  config.pooling = pooling.value_or(stored_pooling);
  auto impl = Build(config, seed, (checkpoint_dir / "config.json").string());
  // The stored head is kept only when it classifies into the same classes from the same pooling.
  const bool keep_head = (labels.empty() || labels == stored_labels) && *config.pooling == stored_pooling;

  torch::NoGradGuard no_grad;
  for (auto& item : impl->module->named_parameters(/*recurse=*/true)) {
    const std::string& name = item.key();
    const bool head = impl->module->IsHeadParameter(name);
    auto found = tensors.find(name);
    if (head && (!keep_head || found == tensors.end())) continue;  // stays randomly initialised
    if (found == tensors.end()) {
      throw InvalidInput(weights_file.string() + ": weight \"" + name + "\" is missing");
    }
    const auto expected = item.value().sizes().vec();
    if (found->second.shape != expected) {
      if (head) continue;
      throw InvalidInput(weights_file.string() + ": weight \"" + name + "\" has shape " +
                         ShapeText(found->second.shape) + ", expected " + ShapeText(expected) + " from config.json");
    }
    item.value().copy_(ToTorch(found->second));
  }
  return TorchClassifier(std::move(impl));
}

const ModelConfig& TorchClassifier::config() const { return impl_->config; }
std::size_t TorchClassifier::num_labels() const { return impl_->config.labels.size(); }

std::size_t TorchClassifier::parameter_count() const {
  std::size_t count = 0;
  for (const auto& p : impl_->module->parameters()) count += static_cast<std::size_t>(p.numel());
  return count;
}

std::vector<float> TorchClassifier::Logits(const TokenBatch& batch) const {
  torch::InferenceMode guard;
  return ToVector(impl_->module->Logits(ToEncoderInputs(batch)));
}

std::vector<float> TorchClassifier::LastHiddenState(const TokenBatch& batch) const {
  torch::InferenceMode guard;
  return ToVector(impl_->module->Encode(ToEncoderInputs(batch)));
}

void TorchClassifier::Save(const fs::path& dir) const {
  checkpoint::WriteModelConfig(impl_->config, dir / "config.json");
  checkpoint::WriteSafetensors(ParametersToTensorMap(*impl_->module), dir / "model.safetensors");
}

void SetTorchThreads(std::size_t threads) {
  if (threads == 0) return;
  torch::set_num_threads(static_cast<int>(threads));
  // Looked up at run time: libtorch reaches BLAS through libblas.so.3, which may be OpenBLAS or another BLAS.
  if (std::getenv("OPENBLAS_NUM_THREADS") == nullptr) {
    using SetThreads = void (*)(int);
    if (void* symbol = dlsym(RTLD_DEFAULT, "openblas_set_num_threads")) {
      reinterpret_cast<SetThreads>(symbol)(static_cast<int>(threads));
    }
  }
}

void CopyTokenizerFiles(const fs::path& tokenizer_dir, const fs::path& out_dir) {
  static const char* const kFiles[] = {"tokenizer.json", "vocab.txt", "tokenizer_config.json",
                                       "special_tokens_map.json"};
  bool any = false;
  for (const char* name : kFiles) {
    const fs::path source = tokenizer_dir / name;
    if (!fs::is_regular_file(source)) continue;
    std::error_code error;
    fs::copy_file(source, out_dir / name, fs::copy_options::overwrite_existing, error);
    if (error) throw IoError("cannot copy " + source.string() + " to " + out_dir.string() + ": " + error.message());
    any = true;
  }
  if (!any) {
    throw InvalidInput("tokenizer directory " + tokenizer_dir.string() +
                       ": got no tokenizer.json or vocab.txt, expected the tokenizer files");
  }
}

}  // namespace fastintent::train
