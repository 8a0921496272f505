// Vocabulary pruning on a BERT checkpoint written by transformers (the export tests' fixture, WordPiece with the
// all-MiniLM-L6-v2 vocabulary): the files stay consistent, the corpus tokenizes and classifies exactly as before,
// texts of a kept script segment as before, and bad input is a clear error that writes nothing.
#include "fastintent/vocab/prune_vocabulary.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fastintent/checkpoint/checkpoint.h"
#include "fastintent/common/error.h"
#include "fastintent/export/onnx_export.h"
#include "fastintent/runtime/classifier.h"

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
  EXPECT_EQ(checkpoint::ReadSafetensors(out / "model.safetensors").at("bert.embeddings.word_embeddings.weight").shape[0],
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
