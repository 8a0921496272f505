// fastintent tokenize --tokenizer DIR [--max-length N] [--tokens] [--offsets]
// Reads texts from stdin (one per line) and writes one JSON object per line to stdout.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "command_registry.h"
#include "fastintent/text/tokenizer.h"

namespace fastintent::cli {
namespace {

int RunTokenize(int argc, char** argv) {
  CLI::App app{
      "Tokenize stdin line by line with a BERT WordPiece tokenizer (tokenizer.json or vocab.txt form). "
      "Each output line is {\"ids\": [...]} plus \"tokens\"/\"offsets\" when asked. Saved truncation and "
      "padding in the tokenizer files are ignored; --max-length truncates (special tokens included)."};
  std::string tokenizer_path;
  std::size_t max_length = 0;
  bool with_tokens = false;
  bool with_offsets = false;
  app.add_option("--tokenizer", tokenizer_path, "Tokenizer directory or tokenizer.json file")->required();
  app.add_option("--max-length", max_length, "Truncate to N tokens, special tokens included (default: no truncation)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--tokens", with_tokens, "Also write the token strings");
  app.add_flag("--offsets", with_offsets, "Also write byte offsets [begin, end) into the input line");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }

  const text::Tokenizer tokenizer = text::Tokenizer::Load(tokenizer_path);
  text::EncodeOptions options;
  options.padding = text::PaddingStrategy::kNone;
  options.truncation = max_length > 0;
  if (max_length > 0) options.max_length = max_length;
  options.with_tokens = with_tokens;
  options.with_offsets = with_offsets;

  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    const text::Encoding encoding = tokenizer.Encode(line, options);
    nlohmann::json out;
    out["ids"] = encoding.ids;
    if (with_tokens) out["tokens"] = encoding.tokens;
    if (with_offsets) out["offsets"] = encoding.offsets;
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  std::cout.flush();
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace

FASTINTENT_COMMAND("tokenize", "Tokenize stdin lines to JSON ids (BERT WordPiece, Hugging Face-exact)", RunTokenize);

}  // namespace fastintent::cli
