#pragma once
// Character classes of the BERT normalizer and pre-tokenizer, as the two references define them.
// kHfTokenizers follows Hugging Face `tokenizers` (Rust std + the unicode_categories crate);
// kTransformersSlow follows transformers' Python BertTokenizer (unicodedata of CPython 3.11).
// Base data comes from utf8proc; where a reference's Unicode version differs from utf8proc's, the
// generated tables in unicode_overrides.inc (tools/tokenizer/probe_unicode.py) correct it.
#include <string>

namespace fastintent::text::detail {

enum class Flavor { kHfTokenizers, kTransformersSlow };

// Whitespace that the normalizer turns into ' ' and the pre-tokenizer splits on.
bool IsWhitespace(char32_t cp, Flavor flavor);
// Control characters that clean_text removes (tab, LF and CR are whitespace, not control).
bool IsControl(char32_t cp, Flavor flavor);
// Characters the pre-tokenizer isolates as one-character words (ASCII punctuation and Unicode P*).
bool IsPunctuation(char32_t cp, Flavor flavor);
// CJK ideographs that handle_chinese_chars surrounds with spaces.
bool IsCjk(char32_t cp, Flavor flavor);
// Nonspacing marks (Mn) that strip_accents removes after NFD.
bool IsNonspacingMark(char32_t cp, Flavor flavor);
// Appends the full lowercase mapping of `cp` (one or more code points).
void AppendLowercase(char32_t cp, std::u32string& out, Flavor flavor);
// Appends the canonical decomposition (NFD) of `cp`, not yet canonically reordered.
void AppendCanonicalDecomposition(char32_t cp, std::u32string& out, Flavor flavor);
// Rust regex's Unicode \w (Alphabetic, marks, decimal digits, connector punctuation, join controls): where a
// single_word added token may not touch a word.
bool IsRegexWordChar(char32_t cp);
// Canonical combining class, for the canonical reordering step of NFD.
int CombiningClass(char32_t cp);
// Replaces `text` by its NFC form (CPython unicodedata.normalize("NFC", ...)).
void ComposeNfc(std::u32string& text);

}  // namespace fastintent::text::detail
