// fastintent.Tokenizer and fastintent.Encoding: text::Tokenizer with results shaped like Hugging Face `tokenizers`
// (ids, attention_mask, type_ids, tokens, offsets in characters of the Python str). Encoding runs with the GIL
// released; lists are made when a property is read, as Hugging Face's Encoding does.
#include <Python.h>
#include <nanobind/nanobind.h>
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bindings.h"
#include "fastintent/common/error.h"
#include "fastintent/text/tokenizer.h"
#include "text_arguments.h"

namespace fastintent::python {
namespace {

using namespace nb::literals;
using Ids = std::vector<std::int64_t>;

bool IsRealToken(const std::pair<std::size_t, std::size_t>& offsets) { return offsets.second > offsets.first; }

// The type id shared by every token that covers input text (special and pad tokens have offsets (0, 0)), if
// there is at least one and they agree.
std::optional<std::int64_t> TypeOfTextTokens(const text::Encoding& encoding) {
  std::optional<std::int64_t> type;
  for (std::size_t i = 0; i < encoding.length(); ++i) {
    if (!IsRealToken(encoding.offsets[i])) continue;
    if (type && *type != encoding.type_ids[i]) return std::nullopt;
    type = encoding.type_ids[i];
  }
  return type;
}

// The type ids of the first and second text of a pair, when the pair template tells them apart (every BERT
// template: 0 and 1). The public Encoding does not say which text a token came from, and a pair's offsets
// point into one text or the other, so the binding learns it once from two probe pairs.
std::optional<std::pair<std::int64_t, std::int64_t>> ProbePairTypeIds(const text::Tokenizer& tokenizer) {
  text::EncodeOptions options;
  options.truncation = false;
  options.padding = text::PaddingStrategy::kNone;
  options.with_offsets = true;
  try {
    const auto first = TypeOfTextTokens(tokenizer.EncodePair("a", "", options));
    const auto second = TypeOfTextTokens(tokenizer.EncodePair("", "a", options));
    if (first && second && *first != *second) return std::make_pair(*first, *second);
  } catch (const fastintent::Error&) {
    // A template that cannot take a pair: offsets fall back to the token order (see PairBoundary).
  }
  return std::nullopt;
}

struct TokenizerState {
  explicit TokenizerState(text::Tokenizer loaded)
      : tokenizer(std::move(loaded)), pair_type_ids(ProbePairTypeIds(tokenizer)) {}
  text::Tokenizer tokenizer;
  std::optional<std::pair<std::int64_t, std::int64_t>> pair_type_ids;
};

std::shared_ptr<const TokenizerState> LoadTokenizer(const std::filesystem::path& path) {
  nb::gil_scoped_release release;
  return std::make_shared<const TokenizerState>(text::Tokenizer::Load(path));
}

// Byte offsets into one str's UTF-8 -> offsets in its characters, as Python indexes the str. Offsets past
// the end (which the tokenizer never gives) are clamped rather than read out of bounds.
class CharOffsets {
 public:
  explicit CharOffsets(nb::handle text) {
    const std::string_view utf8 = Utf8View(text, "text");
    bytes_ = utf8.size();
    if (PyUnicode_IS_ASCII(text.ptr())) return;  // one byte per character
    chars_before_.resize(bytes_ + 1, 0);
    for (std::size_t i = 0; i < bytes_; ++i) {
      const bool continuation = (static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80;
      chars_before_[i + 1] = chars_before_[i] + (continuation ? 0 : 1);
    }
  }
  std::size_t operator()(std::size_t byte) const {
    byte = std::min(byte, bytes_);
    return chars_before_.empty() ? byte : chars_before_[byte];
  }

 private:
  std::size_t bytes_ = 0;
  std::vector<std::size_t> chars_before_;  // empty for ASCII
};

struct PyTokenizer {
  std::shared_ptr<const TokenizerState> state;
};

struct PyEncoding {
  text::Encoding encoding;  // offsets in bytes, always filled
  std::shared_ptr<const TokenizerState> state;
  nb::object first;   // the input str: offsets are converted against it
  nb::object second;  // the pair's second str, or None

  // Index of the first token of the second text (encoding.length() if none). Tokens of the first text come
  // before the second's in every template; a token belongs to the second text when its type id is the second
  // text's, else (a template that gives both the same type id) from the first text token whose offset starts
  // before the previous one's.
  std::size_t PairBoundary() const {
    const auto& offsets = encoding.offsets;
    const std::size_t n = encoding.length();
    if (second.is_none()) return n;
    if (state->pair_type_ids) {
      for (std::size_t i = 0; i < n; ++i) {
        if (IsRealToken(offsets[i]) && encoding.type_ids[i] == state->pair_type_ids->second) return i;
      }
      return n;
    }
    std::optional<std::size_t> previous_begin;
    for (std::size_t i = 0; i < n; ++i) {
      if (!IsRealToken(offsets[i])) continue;
      if (previous_begin && offsets[i].first < *previous_begin) return i;
      previous_begin = offsets[i].first;
    }
    return n;
  }

  nb::typed<nb::list, std::tuple<std::size_t, std::size_t>> Offsets() const {
    nb::typed<nb::list, std::tuple<std::size_t, std::size_t>> out;
    const CharOffsets in_first(first);
    std::optional<CharOffsets> in_second;
    if (!second.is_none()) in_second.emplace(second);
    const std::size_t boundary = PairBoundary();
    for (std::size_t i = 0; i < encoding.length(); ++i) {
      const auto& [begin, end] = encoding.offsets[i];
      if (!IsRealToken(encoding.offsets[i])) {
        out.append(nb::make_tuple(0, 0));
        continue;
      }
      const CharOffsets& chars = i >= boundary ? *in_second : in_first;
      out.append(nb::make_tuple(chars(begin), chars(end)));
    }
    return out;
  }

  nb::typed<nb::list, std::string> Tokens() const {
    nb::typed<nb::list, std::string> out;
    for (const std::int64_t id : encoding.ids) out.append(nb::str(state->tokenizer.IdToToken(id).c_str()));
    return out;
  }
};

std::optional<std::size_t> ParseCount(std::optional<long long> value, const char* argument) {
  if (!value) return std::nullopt;
  if (*value < 0) {
    throw nb::value_error(
        (std::string(argument) + ": got " + std::to_string(*value) + ", expected a non-negative number or None")
            .c_str());
  }
  return static_cast<std::size_t>(*value);
}

// truncation: None (as the tokenizer files say), True / 'longest_first', False / 'do_not_truncate'.
std::optional<bool> ParseTruncation(nb::handle value) {
  if (value.is_none()) return std::nullopt;
  if (PyBool_Check(value.ptr())) return value.ptr() == Py_True;
  if (PyUnicode_Check(value.ptr())) {
    const std::string_view name = Utf8View(value, "truncation");
    if (name == "longest_first") return true;
    if (name == "do_not_truncate") return false;
    throw nb::value_error(("truncation: got '" + std::string(name) +
                           "', expected True, False, None, 'longest_first' or 'do_not_truncate' (another strategy "
                           "comes from the truncation saved in tokenizer.json)")
                              .c_str());
  }
  throw nb::type_error(("truncation: got " + TypeName(value) + ", expected bool, str or None").c_str());
}

// padding: None (as the tokenizer files say), True / 'longest', 'max_length', False / 'do_not_pad'.
std::optional<text::PaddingStrategy> ParsePadding(nb::handle value) {
  if (value.is_none()) return std::nullopt;
  if (PyBool_Check(value.ptr())) {
    return value.ptr() == Py_True ? text::PaddingStrategy::kLongest : text::PaddingStrategy::kNone;
  }
  if (PyUnicode_Check(value.ptr())) {
    const std::string_view name = Utf8View(value, "padding");
    if (name == "longest") return text::PaddingStrategy::kLongest;
    if (name == "max_length") return text::PaddingStrategy::kMaxLength;
    if (name == "do_not_pad") return text::PaddingStrategy::kNone;
    throw nb::value_error(("padding: got '" + std::string(name) +
                           "', expected True, False, None, 'longest', 'max_length' or 'do_not_pad'")
                              .c_str());
  }
  throw nb::type_error(("padding: got " + TypeName(value) + ", expected bool, str or None").c_str());
}

text::EncodeOptions MakeOptions(bool add_special_tokens, std::optional<long long> max_length, nb::handle truncation,
                                nb::handle padding, std::optional<long long> pad_to_multiple_of) {
  text::EncodeOptions options;
  options.add_special_tokens = add_special_tokens;
  options.max_length = ParseCount(max_length, "max_length");
  options.truncation = ParseTruncation(truncation);
  options.padding = ParsePadding(padding);
  options.pad_to_multiple_of = ParseCount(pad_to_multiple_of, "pad_to_multiple_of");
  options.with_offsets = true;
  return options;
}

nb::typed<nb::object, PyEncoding> Encode(const PyTokenizer& self, nb::handle text, nb::handle pair,
                                         bool add_special_tokens, std::optional<long long> max_length,
                                         nb::handle truncation, nb::handle padding,
                                         std::optional<long long> pad_to_multiple_of) {
  const text::EncodeOptions options =
      MakeOptions(add_special_tokens, max_length, truncation, padding, pad_to_multiple_of);
  const std::string_view first = Utf8View(text, "text");
  PyEncoding out{{}, self.state, nb::borrow(text), nb::none()};
  if (pair.is_none()) {
    nb::gil_scoped_release release;
    out.encoding = self.state->tokenizer.Encode(first, options);
  } else {
    const std::string_view second = Utf8View(pair, "pair");
    out.second = nb::borrow(pair);
    nb::gil_scoped_release release;
    out.encoding = self.state->tokenizer.EncodePair(first, second, options);
  }
  return nb::borrow<nb::typed<nb::object, PyEncoding>>(nb::cast(std::move(out)));
}

nb::typed<nb::list, PyEncoding> EncodeBatch(const PyTokenizer& self, nb::handle texts, bool add_special_tokens,
                                            std::optional<long long> max_length, nb::handle truncation,
                                            nb::handle padding, std::optional<long long> pad_to_multiple_of,
                                            long long threads) {
  const text::EncodeOptions options =
      MakeOptions(add_special_tokens, max_length, truncation, padding, pad_to_multiple_of);
  const std::size_t workers = ParseCount(threads, "threads").value_or(1);
  TextBatch batch = ReadTexts(texts, "texts", "encode_batch takes single texts; encode a pair with encode(text, pair)");
  std::vector<text::Encoding> encodings;
  {
    nb::gil_scoped_release release;
    encodings = self.state->tokenizer.EncodeBatch(batch.utf8, options, workers);
  }
  nb::typed<nb::list, PyEncoding> out;
  for (std::size_t i = 0; i < encodings.size(); ++i) {
    out.append(nb::cast(PyEncoding{std::move(encodings[i]), self.state, std::move(batch.objects[i]), nb::none()}));
  }
  return out;
}

std::string EncodingRepr(const PyEncoding& self) {
  std::string ids;
  for (std::size_t i = 0; i < self.encoding.ids.size(); ++i) {
    if (i == 8) {
      ids += ", ...";
      break;
    }
    ids += (i ? ", " : "") + std::to_string(self.encoding.ids[i]);
  }
  return "Encoding(num_tokens=" + std::to_string(self.encoding.length()) + ", ids=[" + ids +
         "], truncated=" + (self.encoding.truncated ? "True" : "False") + ")";
}

}  // namespace

void BindTokenizer(nb::module_& module) {
  nb::class_<PyEncoding>(module, "Encoding",
                         "The result of one encode: like Hugging Face tokenizers' Encoding. Lists are made when a "
                         "property is read.")
      .def_prop_ro(
          "ids", [](const PyEncoding& self) -> const Ids& { return self.encoding.ids; }, nb::rv_policy::copy,
          "Token ids.")
      .def_prop_ro(
          "attention_mask", [](const PyEncoding& self) -> const Ids& { return self.encoding.attention_mask; },
          nb::rv_policy::copy, "1 for tokens, 0 for padding.")
      .def_prop_ro(
          "type_ids", [](const PyEncoding& self) -> const Ids& { return self.encoding.type_ids; }, nb::rv_policy::copy,
          "Token type (segment) ids.")
      .def_prop_ro("tokens", &PyEncoding::Tokens, "Token strings.")
      .def_prop_ro("offsets", &PyEncoding::Offsets,
                   "(begin, end) character offsets into the text each token came from (for a pair, into its own "
                   "text); (0, 0) for special and pad tokens.")
      .def_prop_ro(
          "truncated", [](const PyEncoding& self) { return self.encoding.truncated; },
          "Whether truncation removed tokens.")
      .def("__len__", [](const PyEncoding& self) { return self.encoding.length(); })
      .def("__repr__", &EncodingRepr);

  nb::class_<PyTokenizer>(
      module, "Tokenizer",
      "A tokenizer that gives the ids of Hugging Face tokenizers for the same files (docs/tokenizer.md). "
      "Truncation and padding saved in tokenizer.json apply unless an encode argument overrides "
      "them. Thread-safe; encoding releases the GIL.")
      .def(
          "__init__",
          [](PyTokenizer* self, const std::filesystem::path& path) { new (self) PyTokenizer{LoadTokenizer(path)}; },
          "path"_a, "Load a tokenizer directory (tokenizer.json, else vocab.txt) or a tokenizer.json file.")
      .def_static(
          "from_file", [](const std::filesystem::path& path) { return PyTokenizer{LoadTokenizer(path)}; }, "path"_a,
          "Same as Tokenizer(path).")
      .def("encode", &Encode,
           nb::sig("def encode(self, text: str, pair: str | None = None, add_special_tokens: bool = True, "
                   "max_length: int | None = None, truncation: bool | str | None = None, "
                   "padding: bool | str | None = None, pad_to_multiple_of: int | None = None) -> Encoding"),
           "text"_a, nb::arg("pair").none() = nb::none(), "add_special_tokens"_a = true,
           nb::arg("max_length").none() = nb::none(), nb::arg("truncation").none() = nb::none(),
           nb::arg("padding").none() = nb::none(), nb::arg("pad_to_multiple_of").none() = nb::none(),
           "Encode one text, or a pair (text, pair). max_length counts the special tokens and truncates "
           "(longest_first); truncation: True/'longest_first', False/'do_not_truncate' or None for the saved "
           "setting; padding: True/'longest', 'max_length', False/'do_not_pad' or None for the saved setting.")
      .def("encode_batch", &EncodeBatch,
           nb::sig("def encode_batch(self, texts: typing.Iterable[str], add_special_tokens: bool = True, "
                   "max_length: int | None = None, truncation: bool | str | None = None, "
                   "padding: bool | str | None = None, pad_to_multiple_of: int | None = None, threads: int = 1) "
                   "-> list[Encoding]"),
           "texts"_a, "add_special_tokens"_a = true, nb::arg("max_length").none() = nb::none(),
           nb::arg("truncation").none() = nb::none(), nb::arg("padding").none() = nb::none(),
           nb::arg("pad_to_multiple_of").none() = nb::none(), "threads"_a = 1,
           "Encode a list of texts (padding 'longest' pads to the longest in the list) on up to `threads` "
           "threads.")
      .def(
          "token_to_id",
          [](const PyTokenizer& self, std::string_view token) -> std::optional<std::int64_t> {
            return self.state->tokenizer.TokenToId(token);
          },
          "token"_a, "The id of a token, or None.")
      .def(
          "id_to_token",
          [](const PyTokenizer& self, long long id) -> std::optional<std::string> {
            std::string token = self.state->tokenizer.IdToToken(id);
            if (token.empty()) return std::nullopt;
            return token;
          },
          "id"_a, "The token of an id, or None.")
      .def_prop_ro(
          "vocab_size", [](const PyTokenizer& self) { return self.state->tokenizer.vocab_size(); },
          "Number of ids (vocabulary and added tokens).")
      .def_prop_ro(
          "pad_id", [](const PyTokenizer& self) { return self.state->tokenizer.pad_id(); }, "The padding id.")
      .def_prop_ro(
          "saved_max_length", [](const PyTokenizer& self) { return self.state->tokenizer.saved_max_length(); },
          "The truncation length saved in the tokenizer files, or None.")
      .def("__repr__", [](const PyTokenizer& self) {
        return "Tokenizer(vocab_size=" + std::to_string(self.state->tokenizer.vocab_size()) + ")";
      });
}

}  // namespace fastintent::python
