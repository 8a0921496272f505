// Vocabulary pruning on a BERT checkpoint written by transformers (the export tests' fixture, WordPiece with the
// all-MiniLM-L6-v2 vocabulary, and the same weights with a SentencePiece-Unigram tokenizer): the files stay consistent,
// the corpus tokenizes and classifies exactly as before, texts of a kept script segment as before, and bad input is a
// clear error that writes nothing.
#include "fastintent/vocab/prune_vocabulary.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"
#include "fastintent/export/onnx_export.h"
#include "fastintent/runtime/classifier.h"
#include "fastintent/text/tokenizer.h"

namespace fastintent::vocab {
namespace {

namespace fs = std::filesystem;

const fs::path kCheckpoint = fs::path(FASTINTENT_EXPORT_FIXTURES) / "bert";
const fs::path kData = FASTINTENT_VOCAB_TEST_DATA;

fs::path Scratch(const std::string& name) {
  const fs::path dir = fs::path(FASTINTENT_VOCAB_SCRATCH) / name;
  fs::remove_all(dir);
  fs::create_directories(dir.parent_path());
  return dir;
}

std::vector<std::string> Lines(const fs::path& file) {
  std::vector<std::string> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<std::vector<float>> ServedLogits(const fs::path& checkpoint, const std::string& name,
                                             const std::vector<std::string>& texts) {
  const fs::path model = Scratch(name);
  exporter::ExportModelDirectory(checkpoint, model, {});
  return runtime::Classifier::Load(model)->Logits(texts);
}

TEST(PruneVocabulary, TheCorpusTokenizesAndClassifiesAsBefore) {
  const fs::path out = Scratch("pruned_corpus");
  PruneOptions options;
  options.corpora = {kData / "corpus.txt"};
  const PruneSummary summary = PruneVocabulary(kCheckpoint, out, options);
  EXPECT_EQ(summary.corpus_texts, 6u);
  EXPECT_EQ(summary.pieces_before, 30522u);
  EXPECT_LT(summary.pieces_after, 200u) << "six short texts need few pieces";
  EXPECT_EQ(summary.from_scripts, 0u);
  EXPECT_LT(summary.parameters_after, summary.parameters_before);

  const auto config = checkpoint::ReadModelConfig(out / "config.json");
  EXPECT_EQ(config.vocab_size, summary.pieces_after);
  const auto tokenizer = nlohmann::json::parse(std::ifstream(out / "tokenizer.json"));
  EXPECT_EQ(tokenizer.at("model").at("vocab").size(), summary.pieces_after);
  EXPECT_EQ(Lines(out / "vocab.txt").size(), summary.pieces_after);
  EXPECT_EQ(
      checkpoint::ReadSafetensors(out / "model.safetensors").at("bert.embeddings.word_embeddings.weight").shape[0],
      static_cast<std::int64_t>(summary.pieces_after));

  // Same logits through export and the engine, as served.
  const auto texts = Lines(kData / "corpus.txt");
  const auto before = ServedLogits(kCheckpoint, "served_before", texts);
  const auto after = ServedLogits(out, "served_after", texts);
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    for (std::size_t k = 0; k < before[i].size(); ++k) EXPECT_NEAR(before[i][k], after[i][k], 1e-5) << texts[i];
  }

  // And the reference tokenizer (Hugging Face) gives the same pieces with the pruned files.
  const std::string command = std::string("\"") + FASTINTENT_TEST_PYTHON + "\" \"" + FASTINTENT_TOOLS_DIR +
                              "/vocab/compare_pruned.py\" --original \"" + kCheckpoint.string() + "\" --pruned \"" +
                              out.string() + "\" --texts \"" + (kData / "corpus.txt").string() + "\"";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(PruneVocabulary, AKeptScriptSegmentsAsBeforeOutsideTheCorpus) {
  const fs::path out = Scratch("pruned_latin");
  PruneOptions options;
  options.corpora = {kData / "corpus.txt"};
  options.scripts = {"latin"};
  const PruneSummary summary = PruneVocabulary(kCheckpoint, out, options);
  EXPECT_GT(summary.from_scripts, 10000u);
  EXPECT_LT(summary.pieces_after, summary.pieces_before) << "CJK, Cyrillic, Greek... pieces go";
  const std::string command = std::string("\"") + FASTINTENT_TEST_PYTHON + "\" \"" + FASTINTENT_TOOLS_DIR +
                              "/vocab/compare_pruned.py\" --original \"" + kCheckpoint.string() + "\" --pruned \"" +
                              out.string() + "\" --texts \"" + (kData / "unseen_latin.txt").string() + "\"";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

// The XLM-R / SentencePiece form, as multilingual-e5-small after `scripts/fetch_e5.sh`: the mean-pooling
// fixture (input prefix "query: ") with the committed Unigram tokenizer (Precompiled charsmap, Metaspace,
// byte fallback) in place of WordPiece. Pruning runs our Unigram tokenizer before and after; Hugging Face
// must agree with it on the pruned file. Each test gets its own copy (`name`): ctest runs them in parallel.
fs::path UnigramCheckpoint(const std::string& name) {
  const fs::path dir = Scratch(name);
  fs::create_directories(dir);
  for (const char* file : {"config.json", "model.safetensors"}) {
    fs::copy_file(fs::path(FASTINTENT_EXPORT_FIXTURES) / "bert_mean" / file, dir / file);
  }
  fs::copy_file(fs::path(FASTINTENT_UNIGRAM_FIXTURE) / "tokenizer.json", dir / "tokenizer.json");
  return dir;
}

TEST(PruneVocabulary, AUnigramTokenizerTokenizesAndClassifiesAsBefore) {
  const fs::path checkpoint = UnigramCheckpoint("unigram_checkpoint_corpus");
  const fs::path out = Scratch("pruned_unigram");
  PruneOptions options;
  options.corpora = {kData / "corpus.txt"};
  const PruneSummary summary = PruneVocabulary(checkpoint, out, options);
  const auto original = nlohmann::json::parse(std::ifstream(checkpoint / "tokenizer.json"));
  EXPECT_EQ(summary.pieces_before, original.at("model").at("vocab").size());
  EXPECT_LT(summary.pieces_after, summary.pieces_before);
  const auto tokenizer = nlohmann::json::parse(std::ifstream(out / "tokenizer.json"));
  const auto& vocab = tokenizer.at("model").at("vocab");
  EXPECT_EQ(vocab.size(), summary.pieces_after);
  EXPECT_EQ(checkpoint::ReadModelConfig(out / "config.json").vocab_size, summary.pieces_after);
  // The special pieces moved with their ids: <s> <pad> </s> <unk> stay 0..3 (nothing below them is pruned).
  EXPECT_EQ(tokenizer.at("model").at("unk_id"), 3);
  EXPECT_EQ(vocab.at(3).at(0), "<unk>");
  // The corpus is ASCII: none of the 256 byte-fallback pieces is needed, and none is kept.
  for (const auto& entry : vocab) EXPECT_NE(entry.at(0).get<std::string>().rfind("<0x", 0), 0u) << entry.at(0);

  const auto texts = Lines(kData / "corpus.txt");
  const auto before = ServedLogits(checkpoint, "served_unigram_before", texts);
  const auto after = ServedLogits(out, "served_unigram_after", texts);
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    for (std::size_t k = 0; k < before[i].size(); ++k) EXPECT_NEAR(before[i][k], after[i][k], 1e-5) << texts[i];
  }
  const std::string command = std::string("\"") + FASTINTENT_TEST_PYTHON + "\" \"" + FASTINTENT_TOOLS_DIR +
                              "/vocab/compare_pruned.py\" --original \"" + checkpoint.string() + "\" --pruned \"" +
                              out.string() + "\" --texts \"" + (kData / "corpus.txt").string() +
                              "\" --prefix \"query: \"";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

// Pieces of a tokenizer.json's Unigram vocabulary, by id.
std::vector<std::string> UnigramPieces(const fs::path& dir) {
  const auto tokenizer = nlohmann::json::parse(std::ifstream(dir / "tokenizer.json"));
  std::vector<std::string> pieces;
  for (const auto& entry : tokenizer.at("model").at("vocab")) {
    pieces.push_back(entry.at(0).get<std::string>());
  }
  return pieces;
}

TEST(PruneVocabulary, AUnigramTokenizerSegmentsAKeptScriptAsBefore) {
  const fs::path checkpoint = UnigramCheckpoint("unigram_checkpoint_latin");
  const fs::path out = Scratch("pruned_unigram_latin");
  PruneOptions options;
  options.corpora = {kData / "corpus.txt"};
  options.scripts = {"latin"};
  const PruneSummary summary = PruneVocabulary(checkpoint, out, options);
  EXPECT_GT(summary.from_scripts, 100u);
  EXPECT_LT(summary.pieces_after, summary.pieces_before) << "the Cyrillic pieces go";
  // Our tokenizer, outside the corpus: the same pieces before and after ("naive cafe resume" with accents takes
  // byte-fallback pieces, which the Latin filter keeps).
  const auto original = text::Tokenizer::Load(checkpoint);
  const auto pruned = text::Tokenizer::Load(out);
  const auto original_pieces = UnigramPieces(checkpoint);
  const auto pruned_pieces = UnigramPieces(out);
  bool byte_fallback = false;
  for (const std::string& line : Lines(kData / "unseen_latin.txt")) {
    std::vector<std::string> before, after;
    for (const auto id : original.Encode("query: " + line).ids) before.push_back(original_pieces.at(id));
    for (const auto id : pruned.Encode("query: " + line).ids) after.push_back(pruned_pieces.at(id));
    EXPECT_EQ(before, after) << line;
    for (const std::string& piece : before) byte_fallback = byte_fallback || piece.rfind("<0x", 0) == 0;
  }
  EXPECT_TRUE(byte_fallback) << "unseen_latin.txt should reach byte fallback";
  const std::string command = std::string("\"") + FASTINTENT_TEST_PYTHON + "\" \"" + FASTINTENT_TOOLS_DIR +
                              "/vocab/compare_pruned.py\" --original \"" + checkpoint.string() + "\" --pruned \"" +
                              out.string() + "\" --texts \"" + (kData / "unseen_latin.txt").string() +
                              "\" --prefix \"query: \"";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(PruneVocabulary, BadInputIsAClearErrorAndWritesNothing) {
  const fs::path out = Scratch("pruned_bad");
  PruneOptions options;
  EXPECT_THROW(PruneVocabulary(kCheckpoint, out, options), InvalidInput);  // no corpus
  options.corpora = {kData / "corpus.txt"};
  options.scripts = {"klingon"};
  try {
    PruneVocabulary(kCheckpoint, out, options);
    ADD_FAILURE() << "an unknown script was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("klingon"), std::string::npos) << e.what();
  }
  options.scripts.clear();
  EXPECT_THROW(PruneVocabulary(kData / "no_such_checkpoint", out, options), Error);
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace fastintent::vocab
