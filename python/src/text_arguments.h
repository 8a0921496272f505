#pragma once
// Python text arguments as UTF-8 for the bindings. A text is a str: anything else is a TypeError naming the
// argument, and a str that cannot be UTF-8 (a lone surrogate) raises UnicodeEncodeError, a ValueError, as
// str.encode() does. Called with the GIL held.
#include <nanobind/nanobind.h>

#include <string>
#include <string_view>
#include <vector>

namespace fastintent::python {

namespace nb = nanobind;

// The UTF-8 form of `text`, kept inside the str object by CPython: valid while that str lives.
std::string_view Utf8View(nb::handle text, const char* argument);

// One str, or an iterable of str, as UTF-8 copies (for the engine's std::vector<std::string> calls) plus the str
// objects themselves (the tokenizer converts offsets against them).
struct TextBatch {
  std::vector<std::string> utf8;
  std::vector<nb::object> objects;
  bool single = false;  // a lone str was given
};
TextBatch ReadTexts(nb::handle texts, const char* argument, const char* hint = nullptr);

// Python's name of the type of `value`, for messages ("got int, expected str").
std::string TypeName(nb::handle value);

}  // namespace fastintent::python
