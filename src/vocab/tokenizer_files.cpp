#include "tokenizer_files.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "fastintent/common/error.h"

namespace fastintent::vocab::detail {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using IdMap = std::unordered_map<std::int64_t, std::int64_t>;

std::string ReadText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(file.string() + ": cannot open for reading");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw IoError(file.string() + ": cannot write");
}

json ReadJson(const fs::path& file) {
  try {
    return json::parse(ReadText(file));
  } catch (const json::exception& error) {
    throw InvalidInput(file.string() + ": not valid JSON: " + error.what());
  }
}

std::int64_t Remap(const IdMap& map, std::int64_t id, const std::string& where) {
  const auto found = map.find(id);
  if (found == map.end()) throw InvalidInput(where + ": id " + std::to_string(id) + " was pruned but is referenced");
  return found->second;
}

// Every id the post-processor names: TemplateProcessing's special_tokens, Bert/RobertaProcessing's [token, id]
// pairs, and the processors of a Sequence.
void RemapPostProcessor(json& node, const IdMap& map, const std::string& where) {
  if (!node.is_object()) return;
  if (auto it = node.find("special_tokens"); it != node.end() && it->is_object()) {
    for (auto& [name, token] : it->items()) {
      for (auto& id : token.at("ids")) id = Remap(map, id.get<std::int64_t>(), where + ".special_tokens." + name);
    }
  }
  for (const char* key : {"sep", "cls"}) {
    if (auto it = node.find(key); it != node.end() && it->is_array() && it->size() == 2) {
      (*it)[1] = Remap(map, (*it)[1].get<std::int64_t>(), where + "." + key);
    }
  }
  if (auto it = node.find("processors"); it != node.end() && it->is_array()) {
    for (auto& processor : *it) RemapPostProcessor(processor, map, where);
  }
}

}  // namespace

TokenizerPieces ReadTokenizerPieces(const fs::path& dir) {
  TokenizerPieces result;
  const fs::path json_file = dir / "tokenizer.json";
  if (fs::is_regular_file(json_file)) {
    const json root = ReadJson(json_file);
    const json& model = root.at("model");
    const std::string type = model.value("type", "");
    if (type == "WordPiece") {
      result.pieces.resize(model.at("vocab").size());
      for (const auto& [token, id] : model.at("vocab").items()) {
        const auto index = id.get<std::int64_t>();
        if (index < 0 || static_cast<std::size_t>(index) >= result.pieces.size()) {
          throw InvalidInput(json_file.string() + ": WordPiece ids are not 0..n-1");
        }
        result.pieces[static_cast<std::size_t>(index)] = token;
      }
      if (const auto unk = model.value("unk_token", std::string()); !unk.empty()) {
        for (std::size_t i = 0; i < result.pieces.size(); ++i) {
          if (result.pieces[i] == unk) result.always_keep.push_back(static_cast<std::int64_t>(i));
        }
      }
    } else if (type == "Unigram") {
      for (const auto& entry : model.at("vocab")) result.pieces.push_back(entry.at(0).get<std::string>());
      if (model.contains("unk_id") && !model.at("unk_id").is_null()) {
        result.always_keep.push_back(model.at("unk_id").get<std::int64_t>());
      }
    } else {
      throw InvalidInput(json_file.string() + ": model type \"" + type + "\" cannot be pruned (WordPiece or Unigram)");
    }
    for (const auto& token : root.value("added_tokens", json::array())) {
      const auto id = token.at("id").get<std::int64_t>();
      if (id >= static_cast<std::int64_t>(result.pieces.size())) result.pieces.resize(static_cast<std::size_t>(id) + 1);
      result.pieces[static_cast<std::size_t>(id)] = token.at("content").get<std::string>();
      result.always_keep.push_back(id);
    }
    return result;
  }
  const fs::path vocab_file = dir / "vocab.txt";
  if (!fs::is_regular_file(vocab_file)) {
    throw IoError(dir.string() + ": no tokenizer.json or vocab.txt to prune");
  }
  std::istringstream lines(ReadText(vocab_file));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    result.pieces.push_back(line);
    // BERT's special tokens are bracketed ([PAD], [UNK], [CLS], [SEP], [MASK], [unused0]...).
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
      result.always_keep.push_back(static_cast<std::int64_t>(result.pieces.size() - 1));
    }
  }
  return result;
}

void WritePrunedTokenizer(const fs::path& in, const fs::path& out, const std::vector<std::int64_t>& kept) {
  IdMap map;
  for (std::size_t i = 0; i < kept.size(); ++i) map.emplace(kept[i], static_cast<std::int64_t>(i));

  if (const fs::path file = in / "tokenizer.json"; fs::is_regular_file(file)) {
    json root = ReadJson(file);
    json& model = root.at("model");
    const std::string where = file.string();
    if (model.value("type", "") == "WordPiece") {
      json vocab = json::object();
      for (const auto& [token, id] : model.at("vocab").items()) {
        const auto found = map.find(id.get<std::int64_t>());
        if (found != map.end()) vocab[token] = found->second;
      }
      model["vocab"] = std::move(vocab);
    } else {
      json vocab = json::array();
      const json& old = model.at("vocab");
      for (const std::int64_t id : kept) {
        if (id < static_cast<std::int64_t>(old.size())) vocab.push_back(old.at(static_cast<std::size_t>(id)));
      }
      model["vocab"] = std::move(vocab);
      if (model.contains("unk_id") && !model.at("unk_id").is_null()) {
        model["unk_id"] = Remap(map, model.at("unk_id").get<std::int64_t>(), where + ": model.unk_id");
      }
    }
    if (root.contains("added_tokens")) {
      for (auto& token : root.at("added_tokens")) {
        token["id"] = Remap(map, token.at("id").get<std::int64_t>(), where + ": added_tokens");
      }
    }
    if (root.contains("post_processor")) RemapPostProcessor(root.at("post_processor"), map, where + ": post_processor");
    if (root.contains("padding") && root.at("padding").is_object() && root.at("padding").contains("pad_id")) {
      root["padding"]["pad_id"] = Remap(map, root["padding"]["pad_id"].get<std::int64_t>(), where + ": padding.pad_id");
    }
    WriteText(out / "tokenizer.json", root.dump(2, ' ', false, json::error_handler_t::strict) + "\n");
  }
  if (const fs::path file = in / "vocab.txt"; fs::is_regular_file(file)) {
    std::vector<std::string> lines;  // line number = id
    std::istringstream text(ReadText(file));
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    std::string pruned;
    for (const std::int64_t id : kept) {
      if (id < static_cast<std::int64_t>(lines.size())) pruned += lines[static_cast<std::size_t>(id)] + "\n";
    }
    WriteText(out / "vocab.txt", pruned);
  }
  if (const fs::path file = in / "tokenizer_config.json"; fs::is_regular_file(file)) {
    json config = ReadJson(file);
    if (auto it = config.find("added_tokens_decoder"); it != config.end() && it->is_object()) {
      json remapped = json::object();
      for (const auto& [key, value] : it->items()) {
        remapped[std::to_string(Remap(map, std::stoll(key), file.string() + ": added_tokens_decoder"))] = value;
      }
      *it = std::move(remapped);
    }
    WriteText(out / "tokenizer_config.json", config.dump(2) + "\n");
  }
}

}  // namespace fastintent::vocab::detail
