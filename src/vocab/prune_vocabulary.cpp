#include "fastintent/vocab/prune_vocabulary.h"

#include <algorithm>
#include <set>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/checkpoint/config_json.h"
#include "fastintent/common/atomic_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"
#include "fastintent/text/model_input.h"
#include "fastintent/text/tokenizer.h"
#include "script_filter.h"
#include "tokenizer_files.h"

namespace fastintent::vocab {
namespace {

namespace fs = std::filesystem;

// Files the pruning writes itself; every other file of the checkpoint is copied as it is.
const std::set<std::string> kRewritten = {"config.json", "model.safetensors", "tokenizer.json", "vocab.txt",
                                          "tokenizer_config.json"};

std::vector<std::string> ReadCorpus(const std::vector<fs::path>& files) {
  std::vector<std::string> texts;
  for (const fs::path& file : files) {
    for (auto& text : data::ReadTexts(file)) texts.push_back(std::move(text));
  }
  return texts;
}

std::vector<std::vector<std::int64_t>> Tokenize(const text::Tokenizer& tokenizer, const std::vector<std::string>& texts,
                                                const text::ModelInput& input) {
  text::EncodeOptions options;
  options.truncation = false;
  options.padding = text::PaddingStrategy::kNone;
  std::vector<std::vector<std::int64_t>> ids;
  ids.reserve(texts.size());
  for (const std::string& text : texts) ids.push_back(tokenizer.Encode(input.Format(text), options).ids);
  return ids;
}

// The rows of `table` [rows, width] listed in `kept`, in that order.
checkpoint::Tensor GatherRows(const checkpoint::Tensor& table, const std::vector<std::int64_t>& kept) {
  const auto width = static_cast<std::size_t>(table.shape.at(1));
  checkpoint::Tensor out;
  out.shape = {static_cast<std::int64_t>(kept.size()), table.shape[1]};
  out.data.reserve(kept.size() * width);
  for (const std::int64_t row : kept) {
    const auto begin = table.data.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(row) * width);
    out.data.insert(out.data.end(), begin, begin + static_cast<std::ptrdiff_t>(width));
  }
  return out;
}

std::size_t CountParameters(const checkpoint::TensorMap& tensors) {
  std::size_t count = 0;
  for (const auto& [name, tensor] : tensors) count += tensor.numel();
  return count;
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

PruneSummary PruneVocabulary(const fs::path& in, const fs::path& out, const PruneOptions& options) {
  if (options.corpora.empty()) throw InvalidInput("prune-vocab: no corpus given; its texts decide what is kept");
  const detail::ScriptFilter scripts(options.scripts);
  const checkpoint::ModelConfig config = checkpoint::ReadModelConfig(in / "config.json");
  const text::Tokenizer tokenizer = text::Tokenizer::Load(in);
  const detail::TokenizerPieces pieces = detail::ReadTokenizerPieces(in);
  if (pieces.pieces.size() > config.vocab_size) {
    throw InvalidInput((in / "config.json").string() + ": vocab_size " + std::to_string(config.vocab_size) +
                       " is smaller than the tokenizer's " + std::to_string(pieces.pieces.size()) + " pieces");
  }
  const std::vector<std::string> texts = ReadCorpus(options.corpora);
  if (texts.empty()) throw InvalidInput("prune-vocab: the corpus has no texts");
  const auto input = text::ModelInput::ForModel(in, config.input_prefix);  // the texts as the model reads them
  const auto before = Tokenize(tokenizer, texts, input);

  PruneSummary summary;
  summary.rows_before = config.vocab_size;
  summary.pieces_before = pieces.pieces.size();
  summary.corpus_texts = texts.size();
  std::set<std::int64_t> keep(pieces.always_keep.begin(), pieces.always_keep.end());
  keep.insert(static_cast<std::int64_t>(config.pad_token_id));
  for (const auto& ids : before) keep.insert(ids.begin(), ids.end());
  summary.from_corpus = keep.size();
  for (std::size_t id = 0; id < pieces.pieces.size(); ++id) {
    if (scripts.Accepts(pieces.pieces[id])) keep.insert(static_cast<std::int64_t>(id));
  }
  summary.from_scripts = keep.size() - summary.from_corpus;
  const std::vector<std::int64_t> kept(keep.begin(), keep.end());
  summary.pieces_after = kept.size();

  AtomicDirectory output(out);
  const fs::path& staging = output.staging();
  for (const auto& entry : fs::directory_iterator(in)) {
    if (kRewritten.count(entry.path().filename().string()) > 0) continue;
    fs::copy(entry.path(), staging / entry.path().filename(), fs::copy_options::recursive);
  }
  detail::WritePrunedTokenizer(in, staging, kept);

  checkpoint::TensorMap weights = checkpoint::ReadSafetensors(in / "model.safetensors");
  summary.parameters_before = CountParameters(weights);
  bool found_table = false;
  for (auto it = weights.begin(); it != weights.end();) {
    const bool vocabulary_sized = !it->second.shape.empty() &&
                                  it->second.shape[0] == static_cast<std::int64_t>(config.vocab_size);
    if (EndsWith(it->first, "word_embeddings.weight")) {
      it->second = GatherRows(it->second, kept);
      found_table = true;
      ++it;
    } else if (vocabulary_sized) {
      it = weights.erase(it);  // a pretraining head over the vocabulary (cls.predictions.*): not used here
    } else {
      ++it;
    }
  }
  if (!found_table) throw InvalidInput((in / "model.safetensors").string() + ": no word_embeddings.weight to prune");
  summary.parameters_after = CountParameters(weights);
  checkpoint::WriteSafetensors(weights, staging / "model.safetensors");

  fs::copy_file(in / "config.json", staging / "config.json");
  const auto new_id = [&](std::int64_t old) {
    return static_cast<std::int64_t>(std::lower_bound(kept.begin(), kept.end(), old) - kept.begin());
  };
  std::vector<checkpoint::ConfigUpdate> updates = {
      {"vocab_size", static_cast<std::int64_t>(kept.size())},
      {"pad_token_id", new_id(static_cast<std::int64_t>(config.pad_token_id))}};
  const checkpoint::ConfigView view = checkpoint::ConfigView::Read(in / "config.json");
  for (const char* key : {"bos_token_id", "eos_token_id"}) {
    if (const auto id = view.Count(key, /*allow_zero=*/true); id && keep.count(static_cast<std::int64_t>(*id))) {
      updates.push_back({key, new_id(static_cast<std::int64_t>(*id))});
    }
  }
  checkpoint::UpdateConfigJson(staging / "config.json", updates);

  // The guarantee, checked: every corpus text gives the same pieces as before (new ids mapped back).
  const text::Tokenizer pruned = text::Tokenizer::Load(staging);
  const auto after = Tokenize(pruned, texts, input);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::vector<std::int64_t> mapped;
    for (const std::int64_t id : after[i]) {
      mapped.push_back(id >= 0 && static_cast<std::size_t>(id) < kept.size() ? kept[static_cast<std::size_t>(id)] : -1);
    }
    if (mapped != before[i]) {
      throw InvalidInput("prune-vocab: corpus text " + std::to_string(i + 1) + " (\"" + texts[i].substr(0, 60) +
                         "\") tokenizes differently after pruning; nothing was written");
    }
  }
  output.Commit();
  return summary;
}

}  // namespace fastintent::vocab
