#pragma once
// fastintent_vocab: vocabulary pruning. A multilingual checkpoint carries a large embedding table for scripts a
// task never sees (multilingual-e5-small: 96M of its 118M parameters are 250,037 rows); pruning keeps the rows
// a corpus and chosen scripts need and rewrites the embedding table, the tokenizer files and config.json with
// one consistent id map, so training, export and serving see a smaller, faster model. Only std types here.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace fastintent::vocab {

struct PruneOptions {
  // Texts whose tokenization must not change: data sets (.csv/.tsv/.jsonl with a "text" column) or plain
  // text files (.txt, one text per line). Each is tokenized with the checkpoint's input prefix, as it runs.
  std::vector<std::filesystem::path> corpora;
  // Scripts whose every piece is kept, so that texts outside the corpus still segment as before when they
  // stay within them: "cyrillic", "latin", "greek" (pieces made only of the scripts' letters plus digits,
  // punctuation, symbols and word-boundary marks, which are always allowed). Empty: the corpus alone.
  std::vector<std::string> scripts;
};

struct PruneSummary {
  std::size_t rows_before = 0;        // embedding rows (config vocab_size)
  std::size_t pieces_before = 0;      // tokenizer pieces, added tokens included
  std::size_t pieces_after = 0;       // = the new vocab_size
  std::size_t from_corpus = 0;        // pieces the corpus uses
  std::size_t from_scripts = 0;       // further pieces kept for the scripts
  std::size_t corpus_texts = 0;
  std::size_t parameters_before = 0;  // all weights of model.safetensors
  std::size_t parameters_after = 0;
};

// Reads the checkpoint directory `in` (config.json, model.safetensors, tokenizer.json and/or vocab.txt),
// writes the pruned checkpoint into `out` (replaced atomically; every other file is copied). Kept: special and
// added tokens, the pieces the corpus uses, and the pieces of the chosen scripts; ids stay in their old order.
// Before writing it checks that every corpus text tokenizes to the same pieces as before (the guarantee: a
// Unigram or WordPiece segmentation that used only kept pieces is still the best one). Throws InvalidInput for
// an unknown script, a tokenizer model it cannot rewrite, an empty corpus or a failed check; IoError for files.
PruneSummary PruneVocabulary(const std::filesystem::path& in, const std::filesystem::path& out,
                             const PruneOptions& options);

}  // namespace fastintent::vocab
