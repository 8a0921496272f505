#include "text_arguments.h"

#include <Python.h>

namespace fastintent::python {

std::string TypeName(nb::handle value) { return Py_TYPE(value.ptr())->tp_name; }

std::string_view Utf8View(nb::handle text, const char* argument) {
  if (!PyUnicode_Check(text.ptr())) {
    throw nb::type_error((std::string(argument) + ": got " + TypeName(text) + ", expected str").c_str());
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (data == nullptr) throw nb::python_error();  // UnicodeEncodeError: a lone surrogate
  return {data, static_cast<std::size_t>(size)};
}

TextBatch ReadTexts(nb::handle texts, const char* argument, const char* hint) {
  TextBatch batch;
  if (PyUnicode_Check(texts.ptr())) {
    batch.single = true;
    batch.utf8.emplace_back(Utf8View(texts, argument));
    batch.objects.push_back(nb::borrow(texts));
    return batch;
  }
  // bytes iterate as ints, which would give a confusing message below; say what is wrong instead.
  if (PyBytes_Check(texts.ptr()) || PyByteArray_Check(texts.ptr()) ||
      !PyObject_HasAttrString(texts.ptr(), "__iter__")) {
    throw nb::type_error(
        (std::string(argument) + ": got " + TypeName(texts) + ", expected str or a list of str").c_str());
  }
  if (PyList_Check(texts.ptr()) || PyTuple_Check(texts.ptr())) {
    const auto n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(texts.ptr()));
    batch.utf8.reserve(n);
    batch.objects.reserve(n);
  }
  std::size_t index = 0;
  for (nb::handle item : texts) {
    if (!PyUnicode_Check(item.ptr())) {
      std::string message =
          std::string(argument) + "[" + std::to_string(index) + "]: got " + TypeName(item) + ", expected str";
      if (hint) message += std::string(" (") + hint + ")";
      throw nb::type_error(message.c_str());
    }
    batch.utf8.emplace_back(Utf8View(item, argument));
    batch.objects.push_back(nb::borrow(item));
    ++index;
  }
  return batch;
}

}  // namespace fastintent::python
