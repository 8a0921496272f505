// Renaming to the names transformers' *ForSequenceClassification uses, so export and training look weights up
// in one naming scheme whatever directory they came from:
//  - bare encoder / sentence-transformers keys ("embeddings.*", "encoder.*", "pooler.*" / "transformer.*")
//    get the "bert." / "distilbert." prefix;
//  - old-style LayerNorm.gamma/beta become LayerNorm.weight/bias;
//  - non-parameter buffers (*.position_ids) and pretraining heads (cls.*, vocab_*) are dropped.
#include <array>
#include <string>
#include <string_view>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string RenameLayerNorm(std::string name) {
  if (EndsWith(name, "LayerNorm.gamma")) return name.substr(0, name.size() - 5) + "weight";
  if (EndsWith(name, "LayerNorm.beta")) return name.substr(0, name.size() - 4) + "bias";
  return name;
}

}  // namespace

TensorMap CanonicalWeights(TensorMap tensors, Architecture architecture) {
  const bool bert = architecture == Architecture::kBert;
  const std::string prefix = bert ? "bert." : "distilbert.";
  const std::array<std::string_view, 3> encoder_roots =
      bert ? std::array<std::string_view, 3>{"embeddings.", "encoder.", "pooler."}
           : std::array<std::string_view, 3>{"embeddings.", "transformer.", "transformer."};
  const std::array<std::string_view, 2> dropped_roots =
      bert ? std::array<std::string_view, 2>{"cls.", "cls."} : std::array<std::string_view, 2>{"vocab_", "vocab_"};

  TensorMap renamed;
  for (auto& [name, tensor] : tensors) {
    if (EndsWith(name, ".position_ids")) continue;
    bool dropped = false;
    for (std::string_view root : dropped_roots) dropped = dropped || StartsWith(name, root);
    if (dropped) continue;
    std::string canonical = name;
    for (std::string_view root : encoder_roots) {
      if (StartsWith(name, root)) {
        canonical = prefix + name;
        break;
      }
    }
    canonical = RenameLayerNorm(std::move(canonical));
    if (renamed.count(canonical) != 0) {
      throw InvalidInput("weight \"" + name + "\" maps to \"" + canonical +
                         "\", which another weight already has (mixed naming in one checkpoint)");
    }
    renamed.emplace(std::move(canonical), std::move(tensor));
  }
  return renamed;
}

}  // namespace fastintent::checkpoint
