// fastintent._core: the engine for Python (docs/python.md). Tokenizer and Classifier wrap text::Tokenizer and
// runtime::Classifier; the prediction path stays C++ and runs with the GIL released. Errors reach Python with the
// C++ message: fastintent::InvalidInput -> ValueError, IoError -> OSError, any other fastintent::Error ->
// RuntimeError (nanobind maps the remaining std exceptions: bad_alloc -> MemoryError, others -> RuntimeError).
#include <Python.h>
#include <nanobind/nanobind.h>

#include <exception>

#include "bindings.h"
#include "fastintent/common/error.h"

namespace nb = nanobind;

NB_MODULE(_core, module) {
  module.doc() = "fastintent's tokenizer and classifier engine (C++), bound with nanobind.";
  module.attr("__version__") = FASTINTENT_VERSION;

  nb::register_exception_translator([](const std::exception_ptr& error, void*) {
    try {
      std::rethrow_exception(error);
    } catch (const fastintent::InvalidInput& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const fastintent::IoError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const fastintent::Error& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });

  fastintent::python::BindTokenizer(module);
  fastintent::python::BindClassifier(module);
}
